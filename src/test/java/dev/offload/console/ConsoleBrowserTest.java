package dev.offload.console;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpServer;
import dev.offload.Commands;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console in headless Chromium against this service (real PostgreSQL and RabbitMQ): each test makes its data
 * through the API, then a scenario of src/test/console/console-e2e.mjs drives the pages and checks what they show.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ConsoleBrowserTest {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final List<String> KINDS = List.of("canary", "report", "archive");

    @TestHTTPResource("/")
    URL base;

    private void scenario(String name, Map<String, Object> input) throws Exception {
        Browser.run(base.toString(), name, input);
    }

    @Test
    void shouldSignInWithADevTokenByKeyboardAndRefuseABadNameNextToItsField() throws Exception {
        scenario("signIn", Map.of("user", Tokens.newUser(), "kinds", KINDS));
    }

    @Test
    void shouldShowTheCallersJobsFilteredWithABarFedByTheEventStream() throws Exception {
        String owner = Tokens.newUser();
        String token = Tokens.admin(owner);
        String running = Api.canary(token, Map.of("sleep_ms", 4000, "progress_steps", 8));
        String other = Api.canary(Tokens.admin(Tokens.newUser()), Map.of("sleep_ms", 0));
        // A user's own view: an admin would see the other job too, so this one is listed as its owner sees it.
        scenario("jobsLive", Map.of("token", Tokens.user(owner), "owner", owner, "running", running, "other", other));
    }

    @Test
    void shouldStartAReportFromItsFormWatchItReachOneHundredPercentAndDownloadIt() throws Exception {
        String user = Tokens.newUser();
        String token = Tokens.admin(user);
        String jobId = Api.canary(token, Map.of("sleep_ms", 0));
        Api.awaitState(token, jobId, "success", SOON);
        scenario("report", Map.of("token", Tokens.user(user), "jobId", jobId,
                "generators", List.of("jobs-summary", "jobs-detail", "transition-log"),
                "screenshot", "target/console-e2e/reports.png"));
    }

    @Test
    void shouldCancelALongCanaryFromItsPageAndShowCancelledOnTheTimeline() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String jobId = Api.canary(token, Map.of("sleep_ms", 120_000, "progress_steps", 120));
        Api.awaitState(token, jobId, "running", SOON);
        scenario("cancel", Map.of("token", token, "jobId", jobId,
                "states", List.of("created", "running", "success", "error", "cancelled"),
                "screenshot", "target/console-e2e/job.png"));
        Api.awaitState(token, jobId, "cancelled", SOON);
    }

    @Test
    void shouldShowAnotherUsersJobAsNotFound() throws Exception {
        String otherOwner = Tokens.newUser();
        String othersJob = Api.canary(Tokens.admin(otherOwner), Map.of("sleep_ms", 0));
        scenario("notFound", Map.of("token", Tokens.user(Tokens.newUser()), "othersJob", othersJob,
                "missingJob", UUID.randomUUID().toString(), "otherOwner", otherOwner));
    }

    @Test
    void shouldUploadAFileArchiveItWatchTheArchiveAndDownloadIt() throws Exception {
        String user = Tokens.newUser();
        scenario("archive", Map.of("token", dev.offload.security.TokenCommand.sign(user,
                java.util.Set.of("student"), Duration.ofMinutes(10))));
    }

    @Test
    void shouldShowStatisticsAsATreeAChartAndSegmentValues() throws Exception {
        String[] body = {"{\"sales\": {\"by_region\": {\"north\": {\"total\": 3}, \"south\": {\"total\": 5}}}}"};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body[0].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/stats/" + UUID.randomUUID();
            gather(endpoint, "2025-02-01T10:00:00Z");
            body[0] = body[0].replace("\"total\": 3", "\"total\": 7");
            gather(endpoint, "2025-02-01T11:00:00Z");
            scenario("statistics", Map.of("token", Tokens.admin(Tokens.newUser()), "endpoint", endpoint));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldShowQueuesJobsPerStateAndRecentErrorsToAdmins() throws Exception {
        String token = Tokens.admin(Tokens.newUser());
        String failed = Api.canary(token, Map.of("sleep_ms", 0, "fail", true));
        Api.awaitState(token, failed, "error", SOON);
        scenario("operations", Map.of("token", token, "failedJob", failed, "kinds", KINDS));
    }

    @Test
    void shouldImportACsvShowItsBadRowDownloadTheFailedRowsAndImportTheFix() throws Exception {
        String token = Tokens.user(Tokens.newUser());
        int id = 1_000_000 + new java.util.Random().nextInt(1_000_000_000);
        String header = "id,title,author,published,price,in_stock\n";
        String bad = header + id + ",Dune,Frank Herbert,1965-08-01,9.99,true\n"
                + (id + 1) + ",Emma,Jane Austen,the-first-of-may,4.50,true\n";
        String good = bad.replace("the-first-of-may", "1815-12-23");
        scenario("imports", Map.of("token", token, "resource", "books", "badCsv", bad, "goodCsv", good,
                "badValue", "the-first-of-may", "rows", 2));
    }

    @Test
    void shouldExportChosenColumnsAndDownloadThem() throws Exception {
        String token = Tokens.user(Tokens.newUser());
        scenario("exports", Map.of("token", token, "resource", "books", "columns", List.of("id", "title")));
    }

    @Test
    void shouldKeepTheAdminPagesFromOtherUsers() throws Exception {
        scenario("notAdmin", Map.of("token", Tokens.user(Tokens.newUser())));
    }

    @Test
    void shouldRefuseTheDevTokenEndpointsBadInputAsProblemJson() {
        given().contentType(ContentType.JSON).body(Map.of("user", "", "groups", "a b"))
                .when().post("/console/dev-token")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("user", "groups"));
    }

    @Test
    void shouldServeTheConsoleWithAPolicyThatAllowsOnlyItsOwnFiles() {
        given().redirects().follow(false).when().get("/console")
                .then().statusCode(301).header("Location", org.hamcrest.Matchers.endsWith("/console/"));
        given().when().get("/console/")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/html"))
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"))
                .header("Content-Security-Policy", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("unsafe")));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", org.hamcrest.Matchers.hasItem("/api/v1/queues"))
                .body("paths.keySet()", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(
                        org.hamcrest.Matchers.startsWith("/console"))));
    }

    private static void gather(String endpoint, String at) {
        int status = Commands.runInApplication(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "gather-stats", "--endpoint", endpoint, "--at", at);
        org.junit.jupiter.api.Assertions.assertEquals(0, status, "gather-stats failed");
    }
}
