package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.books;
import static dev.offload.transfer.Transfers.errors;
import static dev.offload.transfer.Transfers.get;
import static dev.offload.transfer.Transfers.importBooks;
import static dev.offload.transfer.Transfers.importOf;
import static dev.offload.transfer.Transfers.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Imports into the demo table books through HTTP: parse, confirm, counts, row errors. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ImportTest {

    private final String owner = Tokens.newUser();
    private final String token = Tokens.user(owner);

    private static String csv(int base) {
        return "id,title,author,published,price,in_stock,updated_at\r\n"
                + (base + 1) + ",Dune,Frank Herbert,1965-08-01,9.99,true,2024-01-02T03:04:05Z\r\n"
                + (base + 2) + ",\"Quoted, title\",\"\",,,no,2024-01-02 03:04:05+01\r\n";
    }

    @Test
    void shouldParseWithoutWritingThenImportOnConfirm() {
        int base = Transfers.idBase();
        String id = importBooks(token, "books.csv", csv(base), Map.of());
        awaitImport(token, id, "parsed");
        importOf(token, id).body("counts.total", equalTo(2)).body("counts.new", equalTo(2))
                .body("counts.update", equalTo(0)).body("counts.error", equalTo(0))
                .body("available_transitions", equalTo(List.of("confirm", "cancel")));
        assertEquals(List.of(), books(base), "a dry run changes nothing");
        post(token, "/api/v1/imports/" + id + "/confirm").statusCode(202);
        awaitImport(token, id, "imported");
        // Stamped by the workflow's hooks with the times of the transitions that ended the parse and the import.
        importOf(token, id).body("parsed_at", equalTo(transitionAt(id, "finish_parse")))
                .body("imported_at", equalTo(transitionAt(id, "finish_import")));
        assertEquals(List.of(
                List.of(String.valueOf(base + 1), "Dune", "Frank Herbert", "1965-08-01", "9.99", "t", "2024-01-02 03:04:05+00"),
                java.util.Arrays.asList(String.valueOf(base + 2), "Quoted, title", "", null, null, "f", "2024-01-02 02:04:05+00")),
                books(base));
    }

    /** The time of the job's {@code transition} in its log, as the API writes times. */
    private String transitionAt(String id, String transition) {
        List<Map<String, Object>> log = get(token, "/api/v1/jobs/" + id + "/transitions").statusCode(200)
                .extract().jsonPath().getList("$");
        return (String) log.stream().filter(row -> transition.equals(row.get("transition"))).findFirst().orElseThrow()
                .get("at");
    }

    @Test
    void shouldRefuseConfirmBeforeParsed() {
        int base = Transfers.idBase();
        String id = importBooks(token, "books.csv", csv(base), Map.of());
        awaitImport(token, id, "parsed");
        post(token, "/api/v1/imports/" + id + "/confirm").statusCode(202);
        post(token, "/api/v1/imports/" + id + "/confirm").statusCode(409).contentType("application/problem+json");
    }

    @Test
    void shouldReportEveryBadValueWithItsRowAndColumn() {
        int base = Transfers.idBase();
        String file = "id,title,author,published,price,in_stock,updated_at\n"
                + (base + 1) + ",ok,a,2023-02-28,1.5,true,2024-01-01T00:00:00Z\n"
                + (base + 2) + ",t,a,2023-02-30,1.5,true,2024-01-01T00:00:00Z\n"
                + (base + 3) + ",t,a,,1.505,true,\n"
                + (base + 4) + ",t,a,,1234567.00,maybe,\n"
                + (base + 5) + ",t,a,,NaN,true,2024-01-01 00:00:00\n"
                + (base + 6) + ",,a,,,true,now\n"
                + (base + 7) + ",\"bell\u0007\",a,,,true,\n"
                + (base + 1) + ",dup,a,,,true,\n"
                + "x,t,a,,,true,\n";
        String id = importBooks(token, "books.csv", file, Map.of());
        awaitImport(token, id, "input_error");
        importOf(token, id).body("counts.total", equalTo(9)).body("counts.error", equalTo(8))
                .body("counts.new", equalTo(1)).body("parsed_at", equalTo(transitionAt(id, "reject")))
                .body("imported_at", equalTo(null));
        List<Map<String, Object>> errors = errors(token, id);
        assertError(errors, 2, "published", "2023-02-30", "is not a date that exists (YYYY-MM-DD)");
        assertError(errors, 3, "price", "1.505", "has 3 digits after the point, more than 2 (it would be rounded)");
        assertError(errors, 4, "price", "1234567.00", "has 7 digits before the point, more than 6 (numeric(8,2))");
        assertError(errors, 4, "in_stock", "maybe", "is not a boolean (true/false, t/f, yes/no, 1/0)");
        assertError(errors, 5, "price", "NaN", "is not a number");
        assertError(errors, 5, "updated_at", "2024-01-01 00:00:00",
                "has no offset (add Z or +hh:mm; the resource declares no time zone)");
        assertError(errors, 6, "title", null, "is required");
        assertError(errors, 6, "updated_at", "now", "is not a timestamp (ISO-8601 or PostgreSQL's form, with an offset)");
        assertError(errors, 7, "title", "bell\u0007", "contains the control character U+0007 at character 5");
        assertError(errors, 8, "id", String.valueOf(base + 1), "duplicates the key of row 1 of the file");
        assertError(errors, 9, "id", "x", "is not a number");
        assertEquals(List.of(), books(base));
        post(token, "/api/v1/imports/" + id + "/confirm").statusCode(409);
    }

    @Test
    void shouldTakeTheFileAndItsOptionsInOneMultipartRequest() {
        int base = Transfers.idBase();
        var response = io.restassured.RestAssured.given().header("Authorization", Tokens.bearer(token))
                .multiPart("file", "books.csv", csv(base).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .multiPart("resource", "books").multiPart("skip_unchanged", "true")
                .when().post("/api/v1/imports").then().statusCode(202).contentType("application/json")
                .body("options.skip_unchanged", equalTo(true)).body("state", equalTo("created")).extract();
        String id = response.path("id");
        org.junit.jupiter.api.Assertions.assertTrue(response.header("Location").endsWith("/api/v1/imports/" + id));
        awaitImport(token, id, "parsed");
        importOf(token, id).body("counts.new", equalTo(2)).body("filename", equalTo("books.csv"));
    }

    @Test
    void shouldDocumentTheMultipartFormWithTheFieldsItTakes() throws Exception {
        var document = new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.restassured.RestAssured.given()
                .queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString());
        var form = document.at("/paths/~1api~1v1~1imports/post/requestBody/content/multipart~1form-data/schema/properties");
        java.util.Set<String> documented = new java.util.TreeSet<>();
        form.fieldNames().forEachRemaining(documented::add);
        java.util.Set<String> taken = new java.util.TreeSet<>(ImportUploads.FIELDS);
        taken.add("file");
        assertEquals(taken, documented);
    }

    @Test
    void shouldRefuseABadMultipartImportAndKeepNothing() {
        String fresh = Tokens.user(Tokens.newUser());
        io.restassured.RestAssured.given().header("Authorization", Tokens.bearer(fresh))
                .multiPart("file", "books.csv", "id\n1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .multiPart("resource", "nope")
                .when().post("/api/v1/imports").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("resource"));
        io.restassured.RestAssured.given().header("Authorization", Tokens.bearer(fresh))
                .multiPart("file", "books.csv", "id\n1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .multiPart("resource", "books").multiPart("colour", "red")
                .when().post("/api/v1/imports").then().statusCode(400).body("errors[0].field", equalTo("colour"));
        org.awaitility.Awaitility.await().atMost(Transfers.WAIT).until(() -> Transfers.get(fresh, "/api/v1/files")
                .statusCode(200).extract().jsonPath().getList("items").isEmpty());
    }

    static void assertError(List<Map<String, Object>> errors, int row, String column, String value, String message) {
        boolean found = errors.stream().anyMatch(e -> ((Number) e.get("row")).intValue() == row
                && column.equals(e.get("column")) && java.util.Objects.equals(value, e.get("value"))
                && message.equals(e.get("message")));
        if (!found) {
            throw new AssertionError("no error at row " + row + ", column " + column + ": " + message + " in " + errors);
        }
    }
}
