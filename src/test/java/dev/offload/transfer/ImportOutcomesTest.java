package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.books;
import static dev.offload.transfer.Transfers.errors;
import static dev.offload.transfer.Transfers.get;
import static dev.offload.transfer.Transfers.importBooks;
import static dev.offload.transfer.Transfers.importOf;
import static dev.offload.transfer.Transfers.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** All or nothing, force_import, skip_unchanged, cancel, owners: what an import leaves in the table. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ImportOutcomesTest {

    private final String owner = Tokens.newUser();
    private final String token = Tokens.user(owner);

    private static String rows(int base, String... titles) {
        StringBuilder csv = new StringBuilder("ID, Title ,author,price\n");
        for (int i = 0; i < titles.length; i++) {
            csv.append(base + i + 1).append(',').append(titles[i]).append(",someone,").append(i).append(".50\n");
        }
        return csv.toString();
    }

    @Test
    void shouldImportNothingWhenTheDatabaseRefusesARowAtImportTime() {
        int base = Transfers.idBase();
        String id = importBooks(token, "b.csv", rows(base, "one", "two", "three"), Map.of());
        awaitImport(token, id, "parsed");
        String constraint = "refuse_" + base;
        Transfers.sql("ALTER TABLE books ADD CONSTRAINT " + constraint + " CHECK (id <> " + (base + 2) + ") NOT VALID");
        try {
            post(token, "/api/v1/imports/" + id + "/confirm").statusCode(202);
            awaitImport(token, id, "import_error");
        } finally {
            Transfers.sql("ALTER TABLE books DROP CONSTRAINT " + constraint);
        }
        assertEquals(List.of(), books(base), "nothing imported");
        importOf(token, id).body("error.message", equalTo("1 row(s) refused; nothing was imported"));
        List<Map<String, Object>> errors = errors(token, id);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(2, ((Number) errors.get(0).get("row")).intValue());
        org.hamcrest.MatcherAssert.assertThat((String) errors.get(0).get("message"),
                containsString("refused by the database: new row for relation \"books\" violates check constraint"));
    }

    @Test
    void shouldFindWhatTheDatabaseRefusesInTheDryRunAndSkipItWithForceImport() {
        int base = Transfers.idBase();
        String file = "id,title,author,price\n" + (base + 1) + ",a,b,1\n" + (base + 2) + ",a,b,-1\n" + (base + 3) + ",a,b,3\n";
        String refused = importBooks(token, "b.csv", file, Map.of());
        awaitImport(token, refused, "input_error");
        ImportTest.assertError(errors(token, refused), 2, "price", "-1.00",
                "refused by the database: new row for relation \"books\" violates check constraint \"books_price_check\""
                        + " (Failing row contains (" + (base + 2) + ", a, b, null, -1.00, t, null).)");
        assertEquals(List.of(), books(base));

        String forced = importBooks(token, "b.csv", file, Map.of("force_import", true));
        awaitImport(token, forced, "parsed");
        importOf(token, forced).body("counts.new", equalTo(2)).body("counts.error", equalTo(1));
        post(token, "/api/v1/imports/" + forced + "/confirm").statusCode(202);
        awaitImport(token, forced, "imported");
        assertEquals(List.of(String.valueOf(base + 1), String.valueOf(base + 3)),
                books(base).stream().map(r -> r.get(0)).toList());
        String errorsCsv = get(token, "/api/v1/imports/" + forced + "/errors.csv").statusCode(200)
                .contentType("text/csv; charset=utf-8").extract().asString();
        org.hamcrest.MatcherAssert.assertThat(errorsCsv, org.hamcrest.Matchers.startsWith("id,title,author,price,error\r\n"
                + (base + 2) + ",a,b,-1.00,\"row 2: price refused by the database: new row for relation \"\"books\"\""));
    }

    @Test
    void shouldCountUnchangedRowsAsSkippedWithSkipUnchanged() {
        int base = Transfers.idBase();
        String first = importBooks(token, "b.csv", rows(base, "one", "two"), Map.of("skip_parse_step", true));
        awaitImport(token, first, "imported");
        String again = importBooks(token, "b.csv", rows(base, "one", "TWO", "three"), Map.of("skip_unchanged", true));
        awaitImport(token, again, "parsed");
        importOf(token, again).body("counts.new", equalTo(1)).body("counts.update", equalTo(1))
                .body("counts.skip", equalTo(1)).body("counts.total", equalTo(3));
        String plain = importBooks(token, "b.csv", rows(base, "one", "TWO", "three"), Map.of());
        awaitImport(token, plain, "parsed");
        importOf(token, plain).body("counts.new", equalTo(1)).body("counts.update", equalTo(2))
                .body("counts.skip", equalTo(0));
    }

    @Test
    void shouldLeaveTheTableAsItWasWhenCancelledDuringTheImport() throws Exception {
        int base = Transfers.idBase();
        String first = importBooks(token, "b.csv", rows(base, "one"), Map.of("skip_parse_step", true));
        awaitImport(token, first, "imported");
        List<List<String>> before = books(base);
        String id = importBooks(token, "b.csv", rows(base, "changed", "new"), Map.of());
        awaitImport(token, id, "parsed");
        try (Connection lock = ServicesResource.connection(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("SELECT 1 FROM books WHERE id = " + (base + 1) + " FOR UPDATE"); // the import waits for this row
            post(token, "/api/v1/imports/" + id + "/confirm").statusCode(202);
            awaitImport(token, id, "importing");
            await().atMost(Transfers.WAIT).until(() -> ServicesResource.number(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'offload-transfer'") > 0);
            post(token, "/api/v1/imports/" + id + "/cancel").statusCode(200).body("state", equalTo("cancelled"));
            lock.rollback();
        }
        await().atMost(Transfers.WAIT).until(() -> ServicesResource.number(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'offload-transfer' AND state <> 'idle'") == 0);
        assertEquals(before, books(base), "the cancelled import wrote nothing");
        importOf(token, id).body("state", equalTo("cancelled"));
    }

    @Test
    void shouldNotShowAnotherUsersImport() {
        String id = importBooks(token, "b.csv", rows(Transfers.idBase(), "one"), Map.of());
        String other = Tokens.user(Tokens.newUser());
        importOf(other, id).statusCode(404).contentType("application/problem+json");
        post(other, "/api/v1/imports/" + id + "/confirm").statusCode(404);
        get(other, "/api/v1/imports/" + id + "/errors").statusCode(404);
        get(other, "/api/v1/imports/" + id + "/errors.csv").statusCode(404);
    }

    @Test
    void shouldEndInParseErrorForAFileThatIsNotUtf8() {
        byte[] latin1 = "id,title,author\n1,Caf\u00e9,x\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String id = importBooks(token, "b.csv", latin1, Map.of());
        awaitImport(token, id, "parse_error");
        importOf(token, id).body("error.message", equalTo("the file is not UTF-8: invalid byte sequence at byte offset 21"));
    }

    @Test
    void shouldRefuseUnknownDuplicatedAndMissingHeaders() {
        String id = importBooks(token, "b.csv", "id,title,colour,TITLE\n1,a,b,c\n", Map.of());
        awaitImport(token, id, "input_error");
        List<Map<String, Object>> errors = errors(token, id);
        ImportTest.assertError(errors, 0, "colour", null,
                "is not a column of books (its headers: id, title, author, published, price, in_stock, updated_at)");
        ImportTest.assertError(errors, 0, "TITLE", null, "is given twice");
        ImportTest.assertError(errors, 0, "author", null, "is required (NOT NULL without a default) and missing from the header");
        String noKey = importBooks(token, "b.csv", "title,author\na,b\n", Map.of());
        awaitImport(token, noKey, "input_error");
        ImportTest.assertError(errors(token, noKey), 0, "id", null, "is a key column and missing from the header");
    }

    @Test
    void shouldAnswer400ForAnUnknownResourceOrFormat() {
        String file = Transfers.upload(token, "b.dat", "x");
        Transfers.submitImport(token, Map.of("file_id", file, "resource", "nope")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("resource"));
        Transfers.submitImport(token, Map.of("file_id", file, "resource", "books")).statusCode(400)
                .body("errors[0].field", equalTo("format"));
        Transfers.submitImport(token, Map.of("file_id", file, "resource", "jobs", "format", "csv")).statusCode(400)
                .body("errors[0].field", equalTo("resource"));
    }
}
