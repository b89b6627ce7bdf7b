package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitExport;
import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.books;
import static dev.offload.transfer.Transfers.download;
import static dev.offload.transfer.Transfers.export;
import static dev.offload.transfer.Transfers.get;
import static dev.offload.transfer.Transfers.importBooks;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exports of books: filters, order, columns, formats, formula escaping, round trips through import. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ExportTest {

    private final String owner = Tokens.newUser();
    private final String token = Tokens.user(owner);

    /** Books in the range with the awkward values: quotes, commas, line breaks, empty vs NULL, a formula. */
    private int seed() {
        int base = Transfers.idBase();
        String csv = "id,title,author,published,price,in_stock,updated_at\n"
                + (base + 1) + ",\"He said \"\"hi\"\", then\nleft\",Ann,2001-02-03,12.30,true,2024-05-06T07:08:09.123456Z\n"
                + (base + 2) + ",=1+2,\"\",,,false,\n"
                + (base + 3) + ",Ünïcødé 🚀,\tTabbed,1999-12-31,0,yes,2000-01-01 00:00:00+05:30\n"
                + (base + 4) + ",-minus,Bob,2020-02-29,999999.99,0,1970-01-01T00:00:00Z\n";
        String id = importBooks(token, "seed.csv", csv, Map.of("skip_parse_step", true));
        awaitImport(token, id, "imported");
        return base;
    }

    private static Map<String, Object> range(int base) {
        return Map.of("id", Map.of("gt", base, "lt", base + 10_000));
    }

    @Test
    void shouldRoundTripEachFormatIntoAnIdenticalTable() {
        int base = seed();
        List<List<String>> original = books(base);
        assertEquals(4, original.size());
        for (String format : List.of("csv", "tsv", "json", "xlsx")) {
            String id = export(token, Map.of("resource", "books", "format", format, "filter", range(base),
                    "escape_formulas", false));
            awaitExport(token, id);
            byte[] file = download(token, id);
            Transfers.sql("DELETE FROM books WHERE id > " + base + " AND id < " + (base + 10_000));
            String back = importBooks(token, "books." + format, file, Map.of("skip_parse_step", true));
            awaitImport(token, back, "imported");
            List<List<String>> now = books(base);
            if (format.equals("xlsx")) {
                // a spreadsheet keeps milliseconds: compare the rest exactly
                now = now.stream().map(r -> r.subList(0, 6)).toList();
                assertEquals(original.stream().map(r -> r.subList(0, 6)).toList(), now, format);
            } else {
                assertEquals(original, now, format);
            }
        }
    }

    @Test
    void shouldFilterOrderAndChooseColumns() {
        int base = seed();
        String id = export(token, Map.of("resource", "books", "format", "csv", "columns", List.of("id", "title"),
                "filter", Map.of("id", Map.of("gt", base, "lt", base + 10_000), "in_stock", true,
                        "published", Map.of("gte", "2000-01-01")),
                "order_by", List.of("-id")));
        awaitExport(token, id);
        get(token, "/api/v1/exports/" + id).body("rows", equalTo(1));
        String csv = new String(download(token, id), StandardCharsets.UTF_8);
        assertEquals("id,title\n" + (base + 1) + ",\"He said \"\"hi\"\", then\nleft\"\n", csv);
        String like = export(token, Map.of("resource", "books", "format", "json", "columns", List.of("id"),
                "filter", Map.of("id", Map.of("in", List.of(base + 1, base + 3, base + 4)), "author", Map.of("like", "B%")),
                "order_by", List.of("id")));
        awaitExport(token, like);
        assertEquals("[{\"id\":" + (base + 4) + "}]", new String(download(token, like), StandardCharsets.UTF_8));
    }

    @Test
    void shouldEscapeFormulasByDefault() {
        int base = seed();
        String id = export(token, Map.of("resource", "books", "format", "csv", "columns", List.of("title"),
                "filter", range(base), "order_by", List.of("id")));
        awaitExport(token, id);
        String csv = new String(download(token, id), StandardCharsets.UTF_8);
        assertEquals(List.of("title", "\"He said \"\"hi\"\", then", "left\"", "'=1+2", "Ünïcødé 🚀", "'-minus"),
                List.of(csv.split("\n")));
        String tsv = export(token, Map.of("resource", "books", "format", "tsv", "columns", List.of("author"),
                "filter", range(base), "order_by", List.of("id")));
        awaitExport(token, tsv);
        assertEquals("author\nAnn\n\"\"\n\"'\tTabbed\"\nBob\n", new String(download(token, tsv), StandardCharsets.UTF_8));
    }

    @Test
    void shouldDownloadWithTheFormatsTypeAndName() {
        int base = seed();
        String id = export(token, Map.of("resource", "books", "format", "xlsx", "filter", range(base)));
        awaitExport(token, id);
        given().header("Authorization", Tokens.bearer(token)).when().head("/api/v1/exports/" + id + "/download")
                .then().statusCode(200)
                .header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("books.xlsx"));
        String other = Tokens.user(Tokens.newUser());
        get(other, "/api/v1/exports/" + id + "/download").statusCode(404);
        get(other, "/api/v1/exports/" + id).statusCode(404);
    }

    @Test
    void shouldAnswer400NamingAnUnknownColumnOrAValueOfTheWrongType() {
        post(Map.of("resource", "books", "columns", List.of("id", "colour"))).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("columns[1]"));
        post(Map.of("resource", "books", "filter", Map.of("price", Map.of("gte", "cheap")))).statusCode(400)
                .body("errors[0].field", equalTo("filter.price.gte"));
        post(Map.of("resource", "books", "filter", Map.of("published", 20240101))).statusCode(400)
                .body("errors[0].field", equalTo("filter.published"));
        post(Map.of("resource", "books", "filter", Map.of("title", Map.of("near", "x")))).statusCode(400)
                .body("errors[0].field", equalTo("filter.title.near"));
        post(Map.of("resource", "books", "order_by", List.of("-colour"))).statusCode(400)
                .body("errors[0].field", equalTo("order_by[0]"));
        post(Map.of("resource", "books", "format", "pdf")).statusCode(400).body("errors[0].field", equalTo("format"));
        post(Map.of("resource", "jobs")).statusCode(400).body("errors[0].field", equalTo("resource"));
    }

    @Test
    void shouldListResourcesAndServeTemplates() {
        get(token, "/api/v1/resources").statusCode(200).body("name", hasItems("books"))
                .body("find { it.name == 'books' }.key", equalTo(List.of("id")))
                .body("find { it.name == 'books' }.columns.find { it.name == 'price' }.type", equalTo("numeric"))
                .body("find { it.name == 'books' }.columns.find { it.name == 'price' }.precision", equalTo(8))
                .body("find { it.name == 'books' }.columns.find { it.name == 'title' }.max_length", equalTo(200));
        List<String> names = get(token, "/api/v1/resources").extract().jsonPath().getList("name");
        assertFalse(names.contains("jobs"), "admin-only resources are not listed for users");
        get(Tokens.admin(Tokens.newUser()), "/api/v1/resources").body("name", hasItems("books", "jobs", "statistics", "transition-log"));
        assertEquals("id,title,author,published,price,in_stock,updated_at\r\n",
                get(token, "/api/v1/resources/books/template?format=csv").statusCode(200).extract().asString());
        get(token, "/api/v1/resources/books/template?format=xlsx").statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("books.xlsx"));
        get(token, "/api/v1/resources/nope/template").statusCode(404);
    }

    private io.restassured.response.ValidatableResponse post(Map<String, Object> body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/exports").then();
    }
}
