package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitExport;
import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.books;
import static dev.offload.transfer.Transfers.download;
import static dev.offload.transfer.Transfers.errors;
import static dev.offload.transfer.Transfers.export;
import static dev.offload.transfer.Transfers.importBooks;
import static dev.offload.transfer.Transfers.importOf;
import static dev.offload.transfer.Transfers.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row hooks of a resource ({@link ShelfHooks} on the resource shelf) on import and export. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class RowHooksTest {

    private final String token = Tokens.user(Tokens.newUser());

    private String importShelf(String content, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>(options);
        body.put("resource", "shelf");
        return importBooks(token, "shelf.csv", content, body);
    }

    @Test
    void shouldChangeSkipAndCheckRowsAgainstEachOtherOnImport() {
        int base = Transfers.idBase();
        String file = "id,title,author\n"
                + (base + 1) + ",\"  Dune  \",Herbert\n"
                + (base + 2) + ",# checked by Ann,-\n"
                + (base + 3) + ",Emma,Austen\n"
                + (base + 4) + ",emma,Austen \n";
        String dry = importShelf(file, Map.of());
        awaitImport(token, dry, "input_error");
        List<Map<String, Object>> refused = errors(token, dry);
        assertEquals(1, refused.size(), refused.toString());
        ImportTest.assertError(refused, 4, "title", "emma", "the file lists this title by this author already, in row 3");
        assertEquals(List.of(), books(base), "a dry run keeps nothing");

        String forced = importShelf(file, Map.of("force_import", true));
        awaitImport(token, forced, "parsed");
        importOf(token, forced).body("counts.new", equalTo(2)).body("counts.skip", equalTo(1))
                .body("counts.error", equalTo(1)).body("counts.total", equalTo(4));
        post(token, "/api/v1/imports/" + forced + "/confirm").statusCode(202);
        awaitImport(token, forced, "imported");
        List<List<String>> now = books(base);
        assertEquals(List.of(String.valueOf(base + 1), String.valueOf(base + 3)), now.stream().map(r -> r.get(0)).toList());
        assertEquals("Dune", now.get(0).get(1), "the hook stripped the title");
    }

    @Test
    void shouldShowEveryExportedRowToTheHookAndWriteCsvAsCopyDoes() throws Exception {
        int base = Transfers.idBase();
        String seed = "id,title,author,published,price,in_stock,updated_at\n"
                + (base + 1) + ",\"He said \"\"hi\"\", then\nleft\",Ann,2001-02-03,12.30,true,2024-05-06T07:08:09.123456Z\n"
                + (base + 2) + ",=1+2,\"\",,,false,\n"
                + (base + 3) + ",Ünïcødé,\tTabbed,1999-12-31,0,yes,2000-01-01 00:00:00+05:30\n"
                + (base + 4) + ",-minus,Bob,2020-02-29,999999.99,0,1970-01-01T00:00:00.5Z\n"
                + (base + 5) + ",draft: untitled,Cy,,,true,\n";
        String seeded = importBooks(token, "seed.csv", seed, Map.of("skip_parse_step", true));
        awaitImport(token, seeded, "imported");
        Map<String, Object> range = Map.of("id", Map.of("gt", base, "lt", base + 5));
        List<String> unhooked = List.of("id", "title", "published", "price", "in_stock", "updated_at");
        for (String format : List.of("csv", "tsv")) {
            for (boolean escape : List.of(true, false)) {
                // The same rows and columns, written by COPY (books) and by the hooked path (shelf): the same bytes.
                Map<String, Object> body = Map.of("format", format, "filter", range, "columns", unhooked,
                        "order_by", List.of("id"), "escape_formulas", escape);
                assertEquals(new String(exported("books", body), StandardCharsets.UTF_8),
                        new String(exported("shelf", body), StandardCharsets.UTF_8), format + ", escape " + escape);
            }
        }

        Map<String, Object> all = Map.of("format", "json", "filter", Map.of("id", Map.of("gt", base, "lt", base + 10)),
                "order_by", List.of("id"));
        JsonNode rows = new ObjectMapper().readTree(exported("shelf", all));
        List<String> authors = new ArrayList<>();
        rows.forEach(r -> authors.add(r.get("author").asText()));
        assertEquals(List.of("ANN", "", "\tTABBED", "BOB"), authors, "authors in capitals, the draft left out");
        assertEquals(12.30, rows.get(0).get("price").asDouble());
        assertTrue(rows.get(0).get("in_stock").asBoolean());

        String csv = new String(exported("shelf", Map.of("format", "csv", "filter", Map.of("id", Map.of("gt", base,
                "lt", base + 10)), "columns", List.of("id", "author"), "order_by", List.of("id"))), StandardCharsets.UTF_8);
        // Without the title the hook cannot tell a draft; escaping (on by default) marks the tab-led author.
        assertEquals("id,author\n" + (base + 1) + ",ANN\n" + (base + 2) + ",\"\"\n" + (base + 3) + ",'\tTABBED\n"
                + (base + 4) + ",BOB\n" + (base + 5) + ",CY\n", csv);
    }

    private byte[] exported(String resource, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>(options);
        body.put("resource", resource);
        String id = export(token, body);
        awaitExport(token, id);
        return download(token, id);
    }
}
