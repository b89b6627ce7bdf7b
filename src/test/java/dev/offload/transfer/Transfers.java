package dev.offload.transfer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What the transfer tests do through HTTP as a client would, and how they look at the books table. */
final class Transfers {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Transfers() {
    }

    /** A block of book ids no other test uses: ids {@code base + 1 .. base + 9999}. */
    static int idBase() {
        return ThreadLocalRandom.current().nextInt(1, 200_000) * 10_000;
    }

    static String upload(String token, String name, byte[] content) {
        return given().header("Authorization", Tokens.bearer(token)).multiPart("file", name, content)
                .when().post("/api/v1/files").then().statusCode(201).extract().path("id");
    }

    static String upload(String token, String name, String content) {
        return upload(token, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static ValidatableResponse submitImport(String token, Map<String, Object> body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/imports").then();
    }

    /** Uploads {@code content} as {@code name} and submits its import into books; returns the import's id. */
    static String importBooks(String token, String name, String content, Map<String, Object> options) {
        return importBooks(token, name, content.getBytes(StandardCharsets.UTF_8), options);
    }

    static String importBooks(String token, String name, byte[] content, Map<String, Object> options) {
        String file = upload(token, name, content);
        Map<String, Object> body = new HashMap<>(options);
        body.put("file_id", file);
        body.putIfAbsent("resource", "books");
        return submitImport(token, body).statusCode(202).extract().path("id");
    }

    static ValidatableResponse get(String token, String path) {
        return given().header("Authorization", Tokens.bearer(token)).when().get(path).then();
    }

    static ValidatableResponse post(String token, String path) {
        return given().header("Authorization", Tokens.bearer(token)).when().post(path).then();
    }

    static ValidatableResponse importOf(String token, String id) {
        return get(token, "/api/v1/imports/" + id);
    }

    static void awaitImport(String token, String id, String state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            String now = importOf(token, id).statusCode(200).extract().path("state");
            if (!state.equals(now) && List.of("parse_error", "input_error", "import_error", "imported", "cancelled")
                    .contains(now)) {
                throw new AssertionError("import " + id + " ended in " + now + ", not " + state + ": "
                        + importOf(token, id).extract().asString() + " errors: "
                        + get(token, "/api/v1/imports/" + id + "/errors").extract().asString());
            }
            return state.equals(now);
        });
    }

    static List<Map<String, Object>> errors(String token, String id) {
        return get(token, "/api/v1/imports/" + id + "/errors?size=200").statusCode(200).extract().jsonPath()
                .getList("items");
    }

    static String export(String token, Map<String, Object> body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/exports").then().statusCode(202).extract().path("id");
    }

    static void awaitExport(String token, String id) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            String now = get(token, "/api/v1/exports/" + id).statusCode(200).extract().path("state");
            if (now.equals("export_error") || now.equals("cancelled")) {
                throw new AssertionError("export " + id + " ended in " + now + ": "
                        + get(token, "/api/v1/exports/" + id).extract().asString());
            }
            return now.equals("exported");
        });
    }

    static byte[] download(String token, String id) {
        return get(token, "/api/v1/exports/" + id + "/download").statusCode(200).extract().asByteArray();
    }

    /** The books with ids in {@code base+1 .. base+9999}, each as its columns' text, ordered by id. */
    static List<List<String>> books(int base) {
        try (Connection c = ServicesResource.connection(); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT id, title, author, published, price, in_stock, updated_at"
                    + " FROM books WHERE id > " + base + " AND id < " + (base + 10_000) + " ORDER BY id")) {
                while (r.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= 7; i++) {
                        row.add(r.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String sql) {
        try (Connection c = ServicesResource.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
