package dev.offload.transfer;

import static dev.offload.transfer.Transfers.awaitImport;
import static dev.offload.transfer.Transfers.importBooks;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An import of the statistics resource backfills history the statistics API then shows. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class StatisticsBackfillTest {

    private final String admin = Tokens.admin(Tokens.newUser());

    @Test
    void shouldShowImportedHistoryInTheStatisticsApi() {
        String endpoint = "http://backfill.example/" + UUID.randomUUID();
        String file = "endpoint,key,numeric_value,fetched_at\n"
                + endpoint + ",jobs.total,3,2024-01-01T00:00:00Z\n"
                + endpoint + ",jobs.failed,1,2024-01-01T00:00:00Z\n"
                + endpoint + ",jobs.total,8,2024-01-02 00:00:00+00\n";
        String dry = importBooks(admin, "history.csv", file, Map.of("resource", "statistics"));
        awaitImport(admin, dry, "parsed");
        series(endpoint).body("points.size()", equalTo(0)); // a dry run backfills nothing

        given().header("Authorization", Tokens.bearer(admin)).post("/api/v1/imports/" + dry + "/confirm")
                .then().statusCode(202);
        awaitImport(admin, dry, "imported");
        series(endpoint).body("points.value", equalTo(List.of(3, 8)));
        given().header("Authorization", Tokens.bearer(admin)).queryParam("endpoint", endpoint)
                .get("/api/v1/statistics/latest").then().statusCode(200)
                .body("items.key", equalTo(List.of("jobs.total"))).body("items.value", equalTo(List.of(8)));

        // A second import adds a key to an existing fetch: the fetch counts it.
        String more = importBooks(admin, "more.csv", "endpoint,key,numeric_value,fetched_at\n"
                + endpoint + ",jobs.failed,2,2024-01-02T00:00:00Z\n", Map.of("resource", "statistics", "skip_parse_step", true));
        awaitImport(admin, more, "imported");
        given().header("Authorization", Tokens.bearer(admin)).queryParam("endpoint", endpoint)
                .get("/api/v1/statistics/latest").then().statusCode(200)
                .body("items.key", equalTo(List.of("jobs.failed", "jobs.total")));
        try (var c = ServicesResource.connection(); var s = c.prepareStatement(
                "SELECT string_agg(row_count::text, ',' ORDER BY fetched_at) FROM statistic_fetch WHERE endpoint = ?")) {
            s.setString(1, endpoint);
            try (var r = s.executeQuery()) {
                r.next();
                org.junit.jupiter.api.Assertions.assertEquals("2,2", r.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldFindDuplicateKeysInADryRunThatOnlyClassifies() {
        // The statistic table has nothing but its key that could refuse a row: its dry runs classify the rows
        // without running the upsert, and must still find the keys the file gives twice.
        String endpoint = "http://backfill.example/" + UUID.randomUUID();
        String first = importBooks(admin, "one.csv", "endpoint,key,numeric_value,fetched_at\n"
                + endpoint + ",a,1,2024-01-01T00:00:00Z\n", Map.of("resource", "statistics", "skip_parse_step", true));
        awaitImport(admin, first, "imported");
        String dry = importBooks(admin, "two.csv", "endpoint,key,numeric_value,fetched_at\n"
                + endpoint + ",a,5,2024-01-01T00:00:00Z\n"
                + endpoint + ",b,2,2024-01-01T00:00:00Z\n"
                + endpoint + ",b,3,2024-01-01 00:00:00+00\n", Map.of("resource", "statistics"));
        awaitImport(admin, dry, "input_error");
        Transfers.importOf(admin, dry).body("counts.new", equalTo(1)).body("counts.update", equalTo(1))
                .body("counts.error", equalTo(1));
        ImportTest.assertError(Transfers.errors(admin, dry), 3, "endpoint", endpoint + ", b, 2024-01-01 00:00:00+00",
                "duplicates the key of row 2 of the file");
    }

    private io.restassured.response.ValidatableResponse series(String endpoint) {
        return given().header("Authorization", Tokens.bearer(admin)).queryParam("endpoint", endpoint)
                .queryParam("key", "jobs.total").get("/api/v1/statistics/series").then().statusCode(200);
    }
}
