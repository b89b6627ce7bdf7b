package dev.offload.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.Commands;
import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.ExitCode;

/** gather-stats in-process as command mode runs it, against endpoints this test serves and the test's own database. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class GatherStatsCommandTest {

    private static final String DOCUMENT = """
            {"asset_counts": {"by_institution": {"INSTA": {"completed": 5, "total": 7}, "INSTB": {"total": 2.5}},
                              "total": 9.5},
             "queues": [3, 1], "healthy": true, "name": "offload", "note": null}""";

    @Inject
    Pool pool;

    private JsonEndpoints endpoints;

    @BeforeEach
    void serve() throws Exception {
        endpoints = new JsonEndpoints();
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    /** A finished run: its exit status and its output lines. */
    record Run(int status, List<String> lines, String errors) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] line = Stream.concat(Stream.of("gather-stats"), Stream.of(args)).toArray(String[]::new);
        int status = Commands.runInApplication(new PrintWriter(out, true), new PrintWriter(err, true), line);
        String text = out.toString();
        return new Run(status, text.isEmpty() ? List.of() : List.of(text.split("\n")), err.toString());
    }

    private Map<String, BigDecimal> rows(String endpoint) {
        Map<String, BigDecimal> rows = new TreeMap<>();
        pool.preparedQuery("SELECT key, numeric_value FROM statistic WHERE endpoint = $1").execute(Tuple.of(endpoint))
                .await().indefinitely().forEach(row -> rows.put(row.getString(0), row.getBigDecimal(1)));
        return rows;
    }

    private long rowCount(String endpoint) {
        return pool.preparedQuery("SELECT count(*) FROM statistic WHERE endpoint = $1").execute(Tuple.of(endpoint))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private List<OffsetDateTime> fetchTimes(String endpoint) {
        List<OffsetDateTime> times = new ArrayList<>();
        pool.preparedQuery("SELECT DISTINCT fetched_at FROM statistic WHERE endpoint = $1 ORDER BY 1")
                .execute(Tuple.of(endpoint)).await().indefinitely().forEach(row -> times.add(row.getOffsetDateTime(0)));
        return times;
    }

    @Test
    void shouldStoreEveryNumericLeafOfOneFetchWithOneFetchedAt() {
        String endpoint = endpoints.json(DOCUMENT);

        Run run = run("--endpoint", endpoint);

        assertEquals(0, run.status(), run.toString());
        assertEquals(1, run.lines().size(), run.toString());
        assertTrue(run.lines().get(0).matches("OK     \\Q" + endpoint + "\\E: 7 rows stored at \\S+Z; "
                + "not stored: 1 string, 1 null \\(\\d+\\.\\d\\d s\\)"), run.lines().get(0));
        assertEquals(Map.of(
                "asset_counts.by_institution.INSTA.completed", new BigDecimal("5"),
                "asset_counts.by_institution.INSTA.total", new BigDecimal("7"),
                "asset_counts.by_institution.INSTB.total", new BigDecimal("2.5"),
                "asset_counts.total", new BigDecimal("9.5"),
                "queues.0", new BigDecimal("3"),
                "queues.1", new BigDecimal("1"),
                "healthy", new BigDecimal("1")), rows(endpoint));
        assertEquals(1, fetchTimes(endpoint).size());
        assertEquals(1, endpoints.hits(endpoint), "one fetch per endpoint");
    }

    @Test
    void shouldAddNothingWhenTheSameFetchTimeIsStoredAgain() {
        String endpoint = endpoints.json(DOCUMENT);
        String at = "2025-03-01T12:00:00Z";

        Run first = run("--endpoint", endpoint, "--at", at);
        Run again = run("--endpoint", endpoint, "--at", "2025-03-01T13:00:00+01:00");

        assertEquals(0, first.status(), first.toString());
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.lines().get(0).startsWith("OK     " + endpoint + ": already stored at 2025-03-01T12:00:00Z,"
                + " nothing added"), again.lines().get(0));
        assertEquals(7, rowCount(endpoint));
        assertEquals(List.of(OffsetDateTime.parse(at).toInstant()),
                fetchTimes(endpoint).stream().map(OffsetDateTime::toInstant).toList());
    }

    @Test
    void shouldStoreTwoRunsWithinOnePrecisionStepOnce() {
        String endpoint = endpoints.json(DOCUMENT);
        // Fetch times are rounded down to the minute: two runs in a row share theirs, unless a minute
        // boundary falls between them, when the second is a fetch of its own.
        Run first = run("--endpoint", endpoint);
        Run second = run("--endpoint", endpoint);

        assertEquals(0, first.status(), first.toString());
        assertEquals(0, second.status(), second.toString());
        List<OffsetDateTime> times = fetchTimes(endpoint);
        assertEquals(second.lines().get(0).contains("already stored") ? 1 : 2, times.size(), second.toString());
        assertEquals(0, times.get(0).getSecond());
        assertEquals(0, times.get(0).getNano());
        assertEquals(7L * times.size(), rowCount(endpoint));
    }

    @Test
    void shouldRecordADocumentWithoutNumbersAsAFetchOfNoRows() {
        String endpoint = endpoints.json("{\"status\": \"ok\", \"checks\": []}");

        Run first = run("--endpoint", endpoint, "--at", "2025-04-01T00:00:00Z");
        Run again = run("--endpoint", endpoint, "--at", "2025-04-01T00:00:00Z");

        assertEquals(0, first.status(), first.toString());
        assertTrue(first.lines().get(0).startsWith("OK     " + endpoint + ": 0 rows stored at 2025-04-01T00:00:00Z;"
                + " not stored: 1 string"), first.toString());
        assertTrue(again.lines().get(0).contains("already stored"), again.toString());
        assertEquals(0, rowCount(endpoint));
    }

    @Test
    void shouldRoundFetchTimesDownToThePrecision() {
        Instant now = Instant.parse("2025-03-01T12:34:56.789123456Z");
        assertEquals(OffsetDateTime.parse("2025-03-01T12:34:00Z"), GatherStatsCommand.rounded(now, Duration.ofMinutes(1)));
        assertEquals(OffsetDateTime.parse("2025-03-01T12:30:00Z"), GatherStatsCommand.rounded(now, Duration.ofMinutes(15)));
        assertEquals(OffsetDateTime.parse("2025-03-01T12:34:56.789123Z"), GatherStatsCommand.rounded(now, Duration.ZERO));
    }

    static Stream<Arguments> badInputs() {
        long limit = 16L * 1024 * 1024;
        return Stream.of(
                bad("not JSON", e -> e.serve(200, JsonEndpoints.JSON, "this is not JSON"), "not JSON: Unrecognized token"),
                bad("truncated JSON", e -> e.json("{\"a\": 1, \"b\": "), "not JSON: Unexpected end-of-input"),
                bad("an empty body", e -> e.json(""), "not JSON: the body is empty"),
                bad("an HTML page with status 200", e -> e.serve(200, JsonEndpoints.HTML, "<html><body>Login</body></html>"),
                        "an HTML page (Content-Type text/html), not JSON"),
                bad("an HTML page served as JSON", e -> e.json("<!DOCTYPE html><html></html>"), "an HTML or XML page, not JSON"),
                bad("an HTML error page", e -> e.serve(502, JsonEndpoints.HTML, "<html><h1>Bad Gateway</h1></html>"),
                        "HTTP 502 Bad Gateway (an HTML page)"),
                bad("HTTP 404", e -> e.serve(404, JsonEndpoints.JSON, "{\"detail\": \"no such thing\"}"),
                        "HTTP 404 Not Found (application/json: {\"detail\": \"no such thing\"})"),
                bad("HTTP 401", e -> e.serve(401, "text/plain", "token expired"), "HTTP 401 Unauthorized (text/plain: token expired)"),
                bad("HTTP 500", e -> e.serve(500, JsonEndpoints.JSON, "{}"), "HTTP 500 Internal Server Error"),
                bad("HTTP 503", e -> e.serve(503, JsonEndpoints.JSON, ""), "HTTP 503 Service Unavailable"),
                bad("a stall in the middle of the body", JsonEndpoints::stallMidBody, "no complete answer within 1 s"),
                bad("no answer at all", JsonEndpoints::stallBeforeAnswering, "no complete answer within 1 s"),
                bad("a redirect loop", JsonEndpoints::redirectLoop, "more than 5 redirects (a redirect loop?)"),
                bad("a redirect to another scheme", e -> e.redirect("file:///etc/passwd"),
                        "a redirect to something that is not an http or https URL"),
                bad("a chunked body over the limit", e -> e.sized(limit + 1, false), "the body is over the limit of 16 MiB"),
                bad("a declared body over the limit", e -> e.sized(limit + 1, true),
                        "the body is 16777217 bytes, over the limit of 16 MiB"),
                bad("nesting deeper than 64", e -> e.json("{\"a\":".repeat(65) + "1" + "}".repeat(65)),
                        "nested deeper than 64 levels at 'a.a.a"),
                bad("an array root", e -> e.json("[{\"a\": 1}]"), "the root is an array, not an object"),
                bad("a number root", e -> e.json("42"), "the root is a number, not an object"),
                bad("a key path longer than the column", e -> e.json("{\"a\": {\"" + "k".repeat(511) + "\": 1}}"),
                        "a key path is longer than 512 characters"));
    }

    private static Arguments bad(String name, Function<JsonEndpoints, String> endpoint, String message) {
        return Arguments.of(name, endpoint, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void shouldWriteNothingAndExitNonZeroForBadInput(String name, Function<JsonEndpoints, String> serve, String message) {
        String endpoint = serve.apply(endpoints);

        Run run = run("--endpoint", endpoint, "--timeout", "1s");

        assertEquals(GatherStatsCommand.FAILED, run.status(), run.toString());
        assertEquals(1, run.lines().size(), run.toString());
        String line = run.lines().get(0);
        assertTrue(line.startsWith("FAILED " + endpoint + ": " + message), line);
        assertTrue(line.matches(".*; nothing written \\(\\d+\\.\\d\\d s\\)"), line);
        assertEquals(Map.of(), rows(endpoint));
    }

    @Test
    void shouldStoreTheGoodEndpointsWhenOneAmongThemFails() {
        String first = endpoints.json("{\"a\": 1, \"b\": 2}");
        String broken = endpoints.serve(500, JsonEndpoints.HTML, "<html>oops</html>");
        String refused = "http://127.0.0.1:1/stats";
        String last = endpoints.json("{\"c\": {\"d\": 3}}");

        Run run = run("--endpoint", first, "--endpoint", broken, "--endpoint", refused, "--endpoint", last);

        assertEquals(GatherStatsCommand.FAILED, run.status(), run.toString());
        assertEquals(4, run.lines().size(), run.toString());
        assertTrue(run.lines().get(0).startsWith("OK     " + first + ": 2 rows stored"), run.toString());
        assertTrue(run.lines().get(1).startsWith("FAILED " + broken + ": HTTP 500"), run.toString());
        assertTrue(run.lines().get(2).startsWith("FAILED " + refused + ": cannot connect"), run.toString());
        assertTrue(run.lines().get(3).startsWith("OK     " + last + ": 1 row stored"), run.toString());
        assertEquals(Map.of("a", BigDecimal.ONE, "b", new BigDecimal(2)), rows(first));
        assertEquals(Map.of("c.d", new BigDecimal(3)), rows(last));
        assertEquals(fetchTimes(first), fetchTimes(last), "one fetch time for the run");
    }

    @Test
    void shouldFollowARedirectAndSendHeadersOnlyToTheOriginTheyWereGivenFor() {
        String target = endpoints.json("{\"n\": 1}");
        String sameOrigin = endpoints.redirect(target.substring(endpoints.origin().length()));
        String foreign = endpoints.json("{\"n\": 2}").replace(endpoints.origin(), endpoints.otherOrigin());
        String crossOrigin = endpoints.redirect(foreign);

        Run run = run("--endpoint", sameOrigin, "--endpoint", crossOrigin, "--header", "Authorization: Bearer secret",
                "--header", "X-Ignored:");

        assertEquals(0, run.status(), run.toString());
        assertEquals(Map.of("n", BigDecimal.ONE), rows(sameOrigin), "stored under the endpoint as given");
        assertEquals(Map.of("n", new BigDecimal(2)), rows(crossOrigin));
        assertEquals("Bearer secret", endpoints.authorization(target));
        assertEquals("Bearer secret", endpoints.authorization(crossOrigin));
        assertNull(endpoints.authorization(foreign), "credentials do not follow a redirect to another origin");
    }

    @Test
    void shouldGatherTheServicesOwnStatistics() {
        String stats = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/v1/stats";
        String token = dev.offload.support.Tokens.admin(dev.offload.support.Tokens.newUser());
        String endpoint = stats + "?run=" + java.util.UUID.randomUUID();

        Run run = run("--endpoint", endpoint, "--header", "Authorization: Bearer " + token);

        assertEquals(0, run.status(), run.toString());
        Map<String, BigDecimal> rows = rows(endpoint);
        assertTrue(rows.containsKey("jobs.total"), rows.toString());
        assertTrue(rows.containsKey("jobs.by_kind.canary.by_state.running"), rows.toString());
        assertTrue(rows.containsKey("queue_depth.by_kind.canary"), rows.toString());
    }

    @Test
    void shouldExitWithUsageStatusWithoutEndpointsOrWithBadOptions() {
        Run none = run();
        assertEquals(ExitCode.USAGE, none.status());
        assertTrue(none.errors().startsWith("No endpoint: give --endpoint URL or set OFFLOAD_STATS_ENDPOINTS\n"
                + "Usage: offload gather-stats"), none.errors());
        assertEquals(List.of(), none.lines());
        Run header = run("--endpoint", "http://localhost/", "--header", "no colon");
        assertEquals(ExitCode.USAGE, header.status());
        assertTrue(header.errors().startsWith("A header is 'Name: value', not 'no colon'"), header.errors());
        assertEquals(ExitCode.USAGE, run("--endpoint", "http://localhost/", "--timeout", "soon").status());
        assertEquals(ExitCode.USAGE, run("--endpoint", "http://localhost/", "--at", "yesterday").status());
        assertEquals(ExitCode.USAGE, run("--endpoint").status());
        assertEquals(ExitCode.USAGE, run("http://localhost/").status());
    }

    @Test
    void shouldFailAnEndpointThatIsNotAnHttpUrlAndGoOn() {
        String good = endpoints.json("{\"x\": 1}");
        Run run = run("--endpoint", "ftp://example.org/stats", "--endpoint", good);
        assertEquals(GatherStatsCommand.FAILED, run.status());
        assertTrue(run.lines().get(0).startsWith("FAILED ftp://example.org/stats: not an http or https URL"), run.toString());
        assertEquals(Map.of("x", BigDecimal.ONE), rows(good));
    }
}
