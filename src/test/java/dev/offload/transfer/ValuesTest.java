package dev.offload.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The input rules for numbers and timestamps, on their quick paths and their general ones alike. */
class ValuesTest {

    private static ResourceColumn column(ColumnType type, int precision, int scale) {
        return new ResourceColumn("c", "c", type.value(), type, false, false, 0, precision, scale, false, false, false);
    }

    private static String convert(ColumnType type, String value) throws Values.Refused {
        return Values.convert(column(type, 8, 2), value, Optional.empty());
    }

    private static String refused(ColumnType type, String value) {
        return assertThrows(Values.Refused.class, () -> convert(type, value), value).getMessage();
    }

    @Test
    void shouldReadWholeNumbersExactlyWithinTheColumnsRange() throws Exception {
        assertEquals("7", convert(ColumnType.INTEGER, " +007 "));
        assertEquals("0", convert(ColumnType.INTEGER, "-0"));
        assertEquals("2147483647", convert(ColumnType.INTEGER, "2147483647"));
        assertEquals("120", convert(ColumnType.INTEGER, "1.2e2"));
        assertEquals("3", convert(ColumnType.INTEGER, "3.000"));
        assertEquals("-9223372036854775808", convert(ColumnType.BIGINT, "-9223372036854775808"));
        assertEquals("is out of range (-2147483648 to 2147483647)", refused(ColumnType.INTEGER, "2147483648"));
        assertEquals("is out of range (-32768 to 32767)", refused(ColumnType.SMALLINT, "-32769"));
        assertEquals("is not a whole number", refused(ColumnType.INTEGER, "1.5"));
        assertEquals("is not a number", refused(ColumnType.INTEGER, "\uff11\uff12")); // full-width digits
        assertEquals("is not a number", refused(ColumnType.INTEGER, "1 2"));
        assertEquals("is not a number", refused(ColumnType.INTEGER, "-"));
        assertEquals("is not a number", refused(ColumnType.NUMERIC, "NaN"));
    }

    @Test
    void shouldKeepNumericsUnroundedInPlainAndExponentForm() throws Exception {
        assertEquals("12.3", convert(ColumnType.NUMERIC, "12.30"));
        assertEquals("0.5", convert(ColumnType.NUMERIC, ".5"));
        assertEquals("5", convert(ColumnType.NUMERIC, "5."));
        assertEquals("100", convert(ColumnType.NUMERIC, "1e2"));
        assertEquals("has 3 digits after the point, more than 2 (it would be rounded)", refused(ColumnType.NUMERIC, "1.234"));
        assertEquals("is not a number", refused(ColumnType.NUMERIC, "1.2.3"));
        assertEquals("is not a number", refused(ColumnType.NUMERIC, "."));
    }

    @Test
    void shouldReadTimestampsThatExistWithTheirOffsets() throws Exception {
        assertEquals("2024-02-29T23:59:59.123456789Z", convert(ColumnType.TIMESTAMPTZ, "2024-02-29 23:59:59.123456789+00"));
        assertEquals("2024-05-06T07:08:09.100Z", convert(ColumnType.TIMESTAMPTZ, "2024-05-06T07:08:09.1Z"));
        assertEquals("2000-01-01T00:00+05:30", convert(ColumnType.TIMESTAMPTZ, "2000-01-01 00:00+05:30"));
        assertEquals("is not a timestamp that exists", refused(ColumnType.TIMESTAMPTZ, "2023-02-29T00:00Z"));
        assertEquals("is not a timestamp that exists", refused(ColumnType.TIMESTAMPTZ, "2024-01-01T24:00Z"));
        assertEquals("is not a timestamp that exists", refused(ColumnType.TIMESTAMPTZ, "2024-01-01T10:60Z"));
        assertEquals("has no offset (add Z or +hh:mm; the resource declares no time zone)",
                refused(ColumnType.TIMESTAMPTZ, "2024-01-01T10:00"));
        assertEquals("is not a timestamp (ISO-8601 or PostgreSQL's form, with an offset)",
                refused(ColumnType.TIMESTAMPTZ, "now"));
        assertEquals("2024-01-01T10:00+01:00", Values.convert(column(ColumnType.TIMESTAMPTZ, 0, 0), "2024-01-01T10:00",
                Optional.of(ZoneId.of("Europe/Oslo"))));
        assertEquals("2024-07-01T12:30:15", Values.convert(column(ColumnType.TIMESTAMP, 0, 0), "2024-07-01T10:30:15Z",
                Optional.of(ZoneId.of("Europe/Oslo"))));
    }
}
