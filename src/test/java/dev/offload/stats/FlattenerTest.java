package dev.offload.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flattening JSON into dotted key paths, and back. */
class FlattenerTest {

    private static final int DEPTH = 64;

    private static Map<String, BigDecimal> flat(String json) {
        FlatDocument document = Flattener.flatten(json, DEPTH);
        Map<String, BigDecimal> flat = new LinkedHashMap<>();
        for (int i = 0; i < document.size(); i++) {
            flat.put(document.keys().get(i), document.values().get(i));
        }
        return flat;
    }

    private static Map<String, BigDecimal> expect(Object... keysAndValues) {
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            expected.put((String) keysAndValues[i], new BigDecimal(keysAndValues[i + 1].toString()));
        }
        return expected;
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{\"leaf\": 1}" + "}".repeat(depth - 1);
    }

    @Test
    void shouldJoinNestedObjectKeysWithDotsInDocumentOrder() {
        assertEquals(expect(
                        "asset_counts.by_institution.INSTA.completed", 5,
                        "asset_counts.by_institution.INSTA.total", 7,
                        "asset_counts.by_institution.INSTB.total", 2,
                        "asset_counts.total", 9),
                flat("""
                        {"asset_counts": {"by_institution": {"INSTA": {"completed": 5, "total": 7},
                                                             "INSTB": {"total": 2}},
                                          "total": 9}}"""));
    }

    @Test
    void shouldIndexArrayElementsIncludingNestedArraysAndObjectsInArrays() {
        assertEquals(expect("list.0", 10, "list.1", 20, "list.2.0", 1, "list.2.1", 2, "list.3.count", 3,
                        "matrix.1.0", 4),
                flat("{\"list\": [10, 20, [1, 2], {\"count\": 3}], \"matrix\": [[], [4]], \"none\": [], \"empty\": {}}"));
    }

    @Test
    void shouldKeepNumbersOfEveryJsonFormExactly() {
        Map<String, BigDecimal> flat = flat("""
                {"zero": 0, "negative_zero": -0, "int": 42, "negative": -17, "decimal": 0.1, "negative_decimal": -2.50,
                 "exponent": 1e3, "upper_exponent": 1E3, "plus_exponent": 1E+3, "negative_exponent": 25e-2,
                 "fraction_exponent": -1.5e10, "long": 9223372036854775807, "beyond_long": 123456789012345678901234567890,
                 "beyond_double": 3.14159265358979323846264338327950288419716939937510,
                 "tiny": 1e-300, "huge": 1e300}""");
        assertEquals(0, flat.get("zero").signum());
        assertEquals(0, flat.get("negative_zero").signum());
        assertEquals(new BigDecimal("42"), flat.get("int"));
        assertEquals(new BigDecimal("-17"), flat.get("negative"));
        assertEquals(new BigDecimal("0.1"), flat.get("decimal"));
        assertEquals(new BigDecimal("-2.50"), flat.get("negative_decimal"));
        for (String key : List.of("exponent", "upper_exponent", "plus_exponent")) {
            assertEquals(0, new BigDecimal(1000).compareTo(flat.get(key)), key);
        }
        assertEquals(0, new BigDecimal("0.25").compareTo(flat.get("negative_exponent")));
        assertEquals(0, new BigDecimal("-15000000000").compareTo(flat.get("fraction_exponent")));
        assertEquals(new BigDecimal("9223372036854775807"), flat.get("long"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), flat.get("beyond_long"));
        assertEquals(new BigDecimal("3.14159265358979323846264338327950288419716939937510"), flat.get("beyond_double"));
        assertEquals(0, new BigDecimal("1e-300").compareTo(flat.get("tiny")));
        assertEquals(0, new BigDecimal("1e300").compareTo(flat.get("huge")));
    }

    @Test
    void shouldStoreBooleansAsOneAndZeroAndCountStringsAndNulls() {
        FlatDocument document = Flattener.flatten("""
                {"up": true, "down": false, "name": "INSTA", "note": null, "tags": ["a", null, 3], "ok": {"x": "y"}}""",
                DEPTH);
        assertEquals(List.of("up", "down", "tags.2"), document.keys());
        assertEquals(List.of(BigDecimal.ONE, BigDecimal.ZERO, new BigDecimal(3)), document.values());
        assertEquals(3, document.strings());
        assertEquals(2, document.nulls());
        assertEquals("3 strings, 2 nulls", document.describeSkipped());
    }

    @Test
    void shouldKeepUnicodeKeysAsWritten() {
        assertEquals(expect("zürich.東京", 1, "emoji😀", 2, "é", 3, "", 4, "a..b", 5),
                flat("{\"zürich\": {\"東京\": 1}, \"emoji\\ud83d\\ude00\": 2, \"\\u00e9\": 3, \"\": 4,"
                        + " \"a\": {\"\": {\"b\": 5}}}"));
    }

    @Test
    void shouldKeepTheFirstOfTwoLeavesWithTheSameKeyPath() {
        FlatDocument document = Flattener.flatten("{\"a.b\": 1, \"a\": {\"b\": 2}, \"c\": 3, \"c\": 4}", DEPTH);
        assertEquals(List.of("a.b", "c"), document.keys());
        assertEquals(List.of(BigDecimal.ONE, new BigDecimal(3)), document.values());
        assertEquals("2 duplicate key paths", document.describeSkipped());
    }

    @Test
    void shouldSkipNumbersBeyondWhatTheDatabaseHolds() {
        FlatDocument document = Flattener.flatten("{\"small\": 1e-20000, \"big\": 1e200000, \"fine\": 1e-16383}", DEPTH);
        assertEquals(List.of("fine"), document.keys());
        assertEquals(2, document.outOfRange());
    }

    @Test
    void shouldAcceptNestingUpToTheLimitAndRefuseOneLevelMore() {
        assertEquals(1, Flattener.flatten(nested(DEPTH), DEPTH).size());
        StatsInputException deeper = assertThrows(StatsInputException.class, () -> Flattener.flatten(nested(DEPTH + 1), DEPTH));
        assertTrue(deeper.getMessage().startsWith("nested deeper than 64 levels at 'a.a.a"), deeper.getMessage());
        assertThrows(StatsInputException.class, () -> Flattener.flatten("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", DEPTH));
    }

    @Test
    void shouldRefuseAKeyPathLongerThanTheColumnCountingCharactersNotBytes() {
        String fits = "ü".repeat(Statistic.KEY_LENGTH);
        assertEquals(1, Flattener.flatten("{\"" + fits + "\": 1}", DEPTH).size());
        String emoji = "😀".repeat(Statistic.KEY_LENGTH);
        assertEquals(1, Flattener.flatten("{\"" + emoji + "\": 1}", DEPTH).size());
        StatsInputException tooLong = assertThrows(StatsInputException.class,
                () -> Flattener.flatten("{\"x\": {\"" + fits + "\": 1}}", DEPTH));
        assertTrue(tooLong.getMessage().startsWith("a key path is longer than 512 characters: 'x.üüü"), tooLong.getMessage());
    }

    @Test
    void shouldRefuseAnythingButOneJsonObject() {
        assertRefused("[1, 2]", "the root is an array, not an object");
        assertRefused("42", "the root is a number, not an object");
        assertRefused("\"text\"", "the root is a string, not an object");
        assertRefused("null", "the root is null, not an object");
        assertRefused("", "not JSON: the body is empty");
        assertRefused("   \n", "not JSON: the body is empty");
        assertRefused("<!DOCTYPE html><html><body>Bad Gateway</body></html>", "an HTML or XML page, not JSON");
        assertRefused("  <html>", "an HTML or XML page, not JSON");
        assertRefused("{\"a\": 1,", "not JSON: Unexpected end-of-input");
        assertRefused("{\"a\": 1} {\"b\": 2}", "not JSON: more content after the root object");
        assertRefused("{\"a\": NaN}", "not JSON: Non-standard token 'NaN'");
        assertRefused("{a: 1}", "not JSON: Unexpected character");
        assertRefused("hello", "not JSON: Unrecognized token 'hello'");
    }

    private static void assertRefused(String json, String messageStart) {
        StatsInputException refused = assertThrows(StatsInputException.class, () -> Flattener.flatten(json, DEPTH), json);
        assertTrue(refused.getMessage().startsWith(messageStart), json + " -> " + refused.getMessage());
    }

    @Test
    void shouldRebuildTheNestedShapeWithArraysWhereIndexesAreComplete() throws Exception {
        String original = """
                {"asset_counts": {"by_institution": {"INSTA": {"completed": 5, "total": 7}}, "total": 9},
                 "list": [10, 20, [1, 2], {"count": 3}], "sparse": ["x", 1], "flag": true}""";
        Map<String, Object> nested = Flattener.nest(flat(original));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("""
                        {"asset_counts": {"by_institution": {"INSTA": {"completed": 5, "total": 7}}, "total": 9},
                         "flag": 1, "list": [10, 20, [1, 2], {"count": 3}], "sparse": {"1": 1}}"""),
                json.readTree(json.writeValueAsString(nested)));
    }

    @Test
    void shouldLeaveOutAKeyWhosePlaceAnotherValueTookWhenNesting() {
        Map<String, BigDecimal> flat = new LinkedHashMap<>();
        flat.put("a", BigDecimal.ONE);
        flat.put("a.b", BigDecimal.TEN);
        flat.put("c", BigDecimal.ZERO);
        assertEquals(Map.of("a", BigDecimal.ONE, "c", BigDecimal.ZERO), Flattener.nest(flat));
    }
}
