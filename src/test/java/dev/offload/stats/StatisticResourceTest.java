package dev.offload.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.Commands;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading gathered statistics: rows, latest values (flat and nested), series, segments, and /api/v1/stats. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class StatisticResourceTest {

    private static final String EARLIER = "2025-02-01T10:00:00Z";
    private static final String LATER = "2025-02-01T11:00:00Z";

    private JsonEndpoints endpoints;
    private final String admin = Tokens.admin(Tokens.newUser());

    @BeforeEach
    void serve() throws Exception {
        endpoints = new JsonEndpoints();
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    private RequestSpecification asAdmin() {
        return given().header("Authorization", Tokens.bearer(admin));
    }

    /** Serves {@code json} on a new endpoint and gathers it once at {@code at}; returns the endpoint. */
    private String gathered(String json, String at) {
        String endpoint = endpoints.json(json);
        assertEquals(0, gather("--endpoint", endpoint, "--at", at));
        return endpoint;
    }

    /** One endpoint fetched at EARLIER with {@code first} and at LATER with {@code second}. */
    private String gatheredTwice(String first, String second) {
        String[] body = {first};
        String endpoint = endpoints.dynamic(() -> body[0]);
        assertEquals(0, gather("--endpoint", endpoint, "--at", EARLIER));
        body[0] = second;
        assertEquals(0, gather("--endpoint", endpoint, "--at", LATER));
        return endpoint;
    }

    /** gather-stats with {@code options}, as command mode runs it: its exit status. */
    private static int gather(String... options) {
        String[] args = Stream.concat(Stream.of("gather-stats"), Stream.of(options)).toArray(String[]::new);
        return Commands.runInApplication(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }

    private static Instant instant(Object text) {
        return java.time.OffsetDateTime.parse((String) text).toInstant();
    }

    @Test
    void shouldListRowsNewestFetchFirstFilteredByEndpointKeyPrefixAndTime() {
        String endpoint = gatheredTwice("{\"a\": {\"b\": 1, \"bc\": 2, \"b_x\": {\"c\": 3}}, \"z\": 4}",
                "{\"a\": {\"b\": 10, \"bc\": 20, \"b_x\": {\"c\": 30}}, \"z\": 40}");

        var all = asAdmin().queryParam("endpoint", endpoint).get("/api/v1/statistics").then().statusCode(200)
                .body("page", equalTo(0)).body("has_more", equalTo(false)).extract().jsonPath();
        assertEquals(List.of("a.b", "a.b_x.c", "a.bc", "z", "a.b", "a.b_x.c", "a.bc", "z"), all.getList("items.key"));
        assertEquals(List.of(10, 30, 20, 40, 1, 3, 2, 4), all.getList("items.value"));
        assertEquals(Instant.parse(LATER), instant(all.getList("items.fetched_at").get(0)));
        assertEquals(Instant.parse(EARLIER), instant(all.getList("items.fetched_at").get(7)));

        // A prefix is a key path: "a.b" is that key and what lies below it, not "a.bc" nor "a.b_x".
        asAdmin().queryParam("endpoint", endpoint).queryParam("prefix", "a.b").get("/api/v1/statistics").then()
                .statusCode(200).body("items.key", equalTo(List.of("a.b", "a.b")));
        asAdmin().queryParam("endpoint", endpoint).queryParam("prefix", "a.b_x.").get("/api/v1/statistics").then()
                .statusCode(200).body("items.key", equalTo(List.of("a.b_x.c", "a.b_x.c")));
        asAdmin().queryParam("endpoint", endpoint).queryParam("from", "2025-02-01T11:30:00+01:00")
                .queryParam("to", LATER).get("/api/v1/statistics").then().statusCode(200)
                .body("items.value", equalTo(List.of(10, 30, 20, 40)));
        asAdmin().queryParam("endpoint", endpoint).queryParam("to", EARLIER).queryParam("size", 3)
                .queryParam("page", 1).get("/api/v1/statistics").then().statusCode(200)
                .body("items.key", equalTo(List.of("z"))).body("has_more", equalTo(false));
        asAdmin().queryParam("endpoint", endpoint).queryParam("size", 3).get("/api/v1/statistics").then()
                .statusCode(200).body("items.size()", equalTo(3)).body("has_more", equalTo(true));
    }

    @Test
    void shouldGiveTheValuesOfTheLatestFetchFlatOrInTheOriginalShape() throws Exception {
        String endpoint = gatheredTwice(
                "{\"a\": {\"x\": 1, \"gone\": 5}, \"list\": [1, 2], \"name\": \"old\"}",
                "{\"a\": {\"x\": 2}, \"list\": [3, 4], \"new\": true, \"name\": \"new\", \"deep\": {\"er\": [{\"est\": 0.5}]}}");
        String elsewhere = gathered("{\"a\": {\"x\": 7}}", EARLIER);

        var flat = asAdmin().queryParam("endpoint", endpoint).get("/api/v1/statistics/latest").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("a.x", "deep.er.0.est", "list.0", "list.1", "new"), flat.getList("items.key"));
        assertEquals(List.of(2, 0.5f, 3, 4, 1), flat.getList("items.value"));
        assertEquals(List.of(Instant.parse(LATER)),
                flat.getList("items.fetched_at").stream().map(StatisticResourceTest::instant).distinct().toList());

        String nested = asAdmin().queryParam("endpoint", endpoint).queryParam("nested", true)
                .get("/api/v1/statistics/latest").then().statusCode(200).contentType("application/json")
                .extract().asString();
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("{\"a\": {\"x\": 2}, \"deep\": {\"er\": [{\"est\": 0.5}]}, \"list\": [3, 4], \"new\": 1}"),
                json.readTree(nested));

        JsonNode below = json.readTree(asAdmin().queryParam("endpoint", endpoint).queryParam("nested", true)
                .queryParam("prefix", "list").get("/api/v1/statistics/latest").then().statusCode(200).extract().asString());
        assertEquals(json.readTree("{\"list\": [3, 4]}"), below);

        // Without an endpoint: each endpoint's own latest fetch.
        var both = asAdmin().queryParam("prefix", "a.x").get("/api/v1/statistics/latest").then().statusCode(200)
                .extract().jsonPath();
        List<String> endpointsSeen = both.getList("items.endpoint");
        assertEquals(2, endpointsSeen.stream().filter(e -> e.equals(endpoint) || e.equals(elsewhere)).count());
    }

    @Test
    void shouldGiveOneKeysSeriesOldestFirst() {
        String endpoint = gatheredTwice("{\"jobs\": {\"total\": 3}}", "{\"jobs\": {\"total\": 8}}");

        var series = asAdmin().queryParam("endpoint", endpoint).queryParam("key", "jobs.total")
                .get("/api/v1/statistics/series").then().statusCode(200)
                .body("endpoint", equalTo(endpoint)).body("key", equalTo("jobs.total"))
                .body("points.value", equalTo(List.of(3, 8))).extract().jsonPath();
        assertEquals(List.of(Instant.parse(EARLIER), Instant.parse(LATER)),
                series.getList("points.fetched_at").stream().map(StatisticResourceTest::instant).toList());
        asAdmin().queryParam("endpoint", endpoint).queryParam("key", "jobs.total").queryParam("from", LATER)
                .get("/api/v1/statistics/series").then().statusCode(200).body("points.value", equalTo(List.of(8)));
        asAdmin().queryParam("endpoint", endpoint).queryParam("key", "jobs")
                .get("/api/v1/statistics/series").then().statusCode(200).body("points.size()", equalTo(0));
    }

    @Test
    void shouldListTheDistinctValuesOfANamedSegment() {
        String endpoint = gatheredTwice("""
                {"asset_counts": {"by_institution": {"INSTA": {"total": 3, "completed": 1}, "IN_ST%": {"total": 1},
                                                     "NOTOTAL": {"completed": 2}},
                                  "by_institutionX": {"DECOY": {"total": 1}}},
                 "assetXcounts": {"by_institution": {"DECOY2": {"total": 1}}}}""", """
                {"asset_counts": {"by_institution": {"INSTB": {"total": 4}, "INST.C": {"total": 5}}}}""");
        String other = gathered("{\"asset_counts\": {\"by_institution\": {\"ELSEWHERE\": {\"total\": 1}}}}", LATER);
        String pattern = "asset_counts.by_institution.{institution}.total";

        asAdmin().queryParam("pattern", pattern).queryParam("endpoint", endpoint)
                .get("/api/v1/statistics/segments").then().statusCode(200)
                .body("pattern", equalTo(pattern)).body("segment", equalTo("institution"))
                .body("values", equalTo(List.of("INSTB")));
        asAdmin().queryParam("pattern", pattern).queryParam("endpoint", endpoint).queryParam("from", EARLIER)
                .get("/api/v1/statistics/segments").then().statusCode(200)
                .body("values", equalTo(List.of("INSTA", "INSTB", "IN_ST%")));
        asAdmin().queryParam("pattern", pattern).queryParam("endpoint", endpoint).queryParam("to", EARLIER)
                .get("/api/v1/statistics/segments").then().statusCode(200)
                .body("values", equalTo(List.of("INSTA", "IN_ST%")));
        asAdmin().queryParam("pattern", "asset_counts.by_institution.*.{measure}").queryParam("endpoint", endpoint)
                .queryParam("from", EARLIER).get("/api/v1/statistics/segments").then().statusCode(200)
                .body("values", equalTo(List.of("completed", "total")));
        asAdmin().queryParam("pattern", pattern).queryParam("endpoint", other)
                .get("/api/v1/statistics/segments").then().statusCode(200).body("values", equalTo(List.of("ELSEWHERE")));
    }

    @Test
    void shouldRefuseQueriesItCannotAnswerAsProblems() {
        Map<String, Map<String, String>> bad = Map.of(
                "/api/v1/statistics", Map.of("from", "yesterday"),
                "/api/v1/statistics/latest", Map.of("nested", "true"),
                "/api/v1/statistics/series", Map.of("endpoint", "http://x/"),
                "/api/v1/statistics/segments", Map.of("pattern", "a.{one}.{two}"));
        Map<String, String> field = Map.of("/api/v1/statistics", "from", "/api/v1/statistics/latest", "endpoint",
                "/api/v1/statistics/series", "key", "/api/v1/statistics/segments", "pattern");
        bad.forEach((path, params) -> asAdmin().queryParams(params).get(path).then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("errors[0].field", equalTo(field.get(path))));
        asAdmin().queryParam("pattern", "a.b").get("/api/v1/statistics/segments").then().statusCode(400)
                .body("detail", equalTo("the request is invalid: pattern names no segment: write the one to list as {name}"));
    }

    @Test
    void shouldAnswerAdminsOnly() {
        String user = Tokens.user(Tokens.newUser());
        for (String path : List.of("/api/v1/statistics", "/api/v1/statistics/latest", "/api/v1/stats")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            given().header("Authorization", Tokens.bearer(user)).get(path).then().statusCode(403)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void shouldPublishTheServicesJobCountsInTheNestedShape() {
        Api.canary(admin, Map.of());

        asAdmin().get("/api/v1/stats").then().statusCode(200)
                .body("jobs.total", greaterThanOrEqualTo(1))
                .body("jobs.by_kind.canary.total", greaterThanOrEqualTo(1))
                .body("jobs.by_kind.canary.by_state", hasKey("created"))
                .body("jobs.by_kind.canary.by_state", hasKey("running"))
                .body("jobs.by_kind.canary.by_state", hasKey("cancelled"))
                .body("queue_depth.total", greaterThanOrEqualTo(0))
                .body("queue_depth.by_kind", hasKey("canary"));
    }
}
