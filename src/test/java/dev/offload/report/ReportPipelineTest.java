package dev.offload.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.job.JobRunner;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Reports through the real PostgreSQL and RabbitMQ: submit, generate, download, and what may go wrong. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ReportPipelineTest {

    private static final String XLSX = ExcelReportGenerator.CONTENT_TYPE;

    @Inject
    JobRunner runner;

    @Inject
    dev.offload.storage.CleanupCommand cleanup;

    private final String name = Tokens.newUser();
    private final String user = Tokens.user(name);
    private final String admin = Tokens.admin(Tokens.newUser());

    private static XSSFWorkbook workbook(ExtractableResponse<Response> download) throws Exception {
        return new XSSFWorkbook(new ByteArrayInputStream(download.asByteArray()));
    }

    private static List<String> headers(XSSFSheet sheet) {
        List<String> headers = new java.util.ArrayList<>();
        sheet.getRow(0).forEach(cell -> headers.add(cell.getStringCellValue()));
        return headers;
    }

    private static void assertAttachment(ExtractableResponse<Response> download, String prefix, String extension,
            String contentType) {
        assertEquals(200, download.statusCode(), download.asString());
        assertThat(download.contentType(), containsString(contentType.split(";")[0]));
        assertThat(download.header("Content-Disposition"),
                matchesPattern("attachment; filename=\"" + prefix + "-\\d{8}-\\d{6}\\." + extension + "\""));
    }

    @Test
    void shouldGenerateJobsDetailAsXlsxAndServeItToItsOwner() throws Exception {
        String id = ReportApi.report(user, "jobs-detail", Map.of());
        ReportApi.get(user, id).statusCode(200)
                .body("generator_type", equalTo("jobs-detail"))
                .body("owner", equalTo(name))
                .body("created_at", notNullValue());

        ReportApi.awaitState(user, id, "success");

        ReportApi.get(user, id).statusCode(200)
                .body("state", equalTo("success"))
                .body("started_at", notNullValue())
                .body("finished_at", notNullValue())
                .body("content_type", equalTo(XLSX))
                .body("output_filename", matchesPattern("jobs-detail-\\d{8}-\\d{6}\\.xlsx"))
                .body("size", org.hamcrest.Matchers.greaterThan(0))
                .body("downloadable", equalTo(true))
                .body("expires_at", notNullValue())
                .body("progress.done", equalTo(1))
                .body("status_data", nullValue())
                .body("available_transitions.size()", equalTo(0))
                .body("links.download", equalTo("/api/v1/reports/" + id + "/download"));
        ExtractableResponse<Response> download = ReportApi.download(user, id);
        assertAttachment(download, "jobs-detail", "xlsx", XLSX);
        try (XSSFWorkbook workbook = workbook(download)) {
            XSSFSheet sheet = workbook.getSheet("Jobs");
            assertEquals(List.of("id", "kind", "state", "owner", "attempts", "created (UTC)", "started (UTC)",
                    "finished (UTC)", "run time (s)"), headers(sheet));
            assertEquals(1, sheet.getLastRowNum(), "one job of this user: the report itself");
            Row row = sheet.getRow(1);
            assertEquals(id, row.getCell(0).getStringCellValue());
            assertEquals("report", row.getCell(1).getStringCellValue());
            assertEquals("generating", row.getCell(2).getStringCellValue());
            assertEquals(name, row.getCell(3).getStringCellValue());
            assertEquals(1.0, row.getCell(4).getNumericCellValue());
            assertTrue(org.apache.poi.ss.usermodel.DateUtil.isCellDateFormatted(row.getCell(5)));
            assertTrue(sheet.getPaneInformation().isFreezePane(), "the header row is frozen");
            assertTrue(workbook.getFontAt(sheet.getRow(0).getCell(0).getCellStyle().getFontIndex()).getBold());
            assertTrue(sheet.getCTWorksheet().isSetAutoFilter(), "an auto-filter over the table");
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.asByteArray()));
        assertEquals("\"sha256-" + sha + "\"", download.header("ETag"));
    }

    @Test
    void shouldGenerateJobsDetailAsCsv() {
        String first = ReportApi.report(user, "jobs-detail", Map.of());
        ReportApi.awaitState(user, first, "success");
        String id = ReportApi.report(user, "jobs-detail", Map.of("format", "csv", "from", "2000-01-01"));
        ReportApi.awaitState(user, id, "success");

        ExtractableResponse<Response> download = ReportApi.download(user, id);
        assertAttachment(download, "jobs-detail", "csv", "text/csv");
        List<String> lines = List.of(download.asString().split("\r\n"));
        assertEquals("id,kind,state,owner,attempts,created (UTC),started (UTC),finished (UTC),run time (s)", lines.get(0));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith(first + ",report,success," + name + ",1,"), lines.get(1));
        assertTrue(lines.get(2).startsWith(id + ",report,generating," + name + ",1,"), lines.get(2));
        ReportApi.get(user, id).body("content_type", equalTo("text/csv; charset=utf-8"))
                .body("generator_options.format", equalTo("csv"));
    }

    @Test
    void shouldSummariseTheOwnersJobsPerKindAndState() throws Exception {
        String earlier = ReportApi.report(user, "jobs-detail", Map.of());
        ReportApi.awaitState(user, earlier, "success");
        String id = ReportApi.report(user, "jobs-summary", Map.of("to", "2999-01-01T00:00:00Z"));
        ReportApi.awaitState(user, id, "success");

        ExtractableResponse<Response> download = ReportApi.download(user, id);
        assertAttachment(download, "jobs-summary", "xlsx", XLSX);
        try (XSSFWorkbook workbook = workbook(download)) {
            assertTrue(workbook.getSheet("canary") != null, "a sheet per kind, even without jobs");
            XSSFSheet sheet = workbook.getSheet("report");
            assertEquals(List.of("state", "jobs", "attempts", "median run time (s)", "p95 run time (s)"), headers(sheet));
            Map<String, Row> byState = new java.util.HashMap<>();
            sheet.forEach(row -> byState.put(row.getCell(0).getStringCellValue(), row));
            assertEquals(1.0, byState.get("success").getCell(1).getNumericCellValue(), "the earlier report");
            assertEquals(1.0, byState.get("generating").getCell(1).getNumericCellValue(), "this report, while it ran");
            assertEquals(0.0, byState.get("error").getCell(1).getNumericCellValue());
            assertEquals(2.0, byState.get(JobsSummaryReportName.TOTAL).getCell(1).getNumericCellValue());
            assertTrue(byState.get("success").getCell(3).getNumericCellValue() >= 0, "a median run time");
        }
    }

    @Test
    void shouldExportTheTransitionLogOfOneKindForAdmins() throws Exception {
        String canary = Api.canary(admin, Map.of());
        Api.awaitState(admin, canary, "success", ReportApi.SOON);
        String id = ReportApi.report(admin, "transition-log", Map.of("kind", "canary"));
        ReportApi.awaitState(admin, id, "success");

        ExtractableResponse<Response> download = ReportApi.download(admin, id);
        assertAttachment(download, "transition-log", "xlsx", XLSX);
        try (XSSFWorkbook workbook = workbook(download)) {
            XSSFSheet sheet = workbook.getSheet("Transitions");
            assertEquals(List.of("id", "at (UTC)", "kind", "job id", "transition", "from state", "to state", "actor",
                    "extra"), headers(sheet));
            List<String> ofCanary = new java.util.ArrayList<>();
            sheet.forEach(row -> {
                if (row.getRowNum() > 0) {
                    assertEquals("canary", row.getCell(2).getStringCellValue());
                    if (row.getCell(3).getStringCellValue().equals(canary)) {
                        ofCanary.add(row.getCell(4).getStringCellValue());
                    }
                }
            });
            assertEquals(List.of("create", "start", "succeed"), ofCanary);
        }

        String csv = ReportApi.report(admin, "transition-log", Map.of("kind", "canary", "format", "csv"));
        ReportApi.awaitState(admin, csv, "success");
        String body = ReportApi.download(admin, csv).asString();
        assertTrue(body.startsWith("id,at (UTC),kind,job id,transition,from state,to state,actor,extra\r\n"), body);
        assertTrue(body.contains(",canary," + canary + ",succeed,running,success,worker:"), body);
    }

    @Test
    void shouldKeepTheTransitionLogForAdmins() {
        ReportApi.submit(user, Map.of("generator_type", "transition-log")).statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer404ToAnotherUsersDownloadAsIfTheReportDidNotExist() {
        String id = ReportApi.report(user, "jobs-detail", Map.of("format", "csv"));
        ReportApi.awaitState(user, id, "success");
        String stranger = Tokens.user(Tokens.newUser());

        assertEquals(404, ReportApi.download(stranger, id).statusCode());
        assertEquals("application/problem+json", ReportApi.download(stranger, id).contentType());
        ReportApi.get(stranger, id).statusCode(404);
        assertEquals(404, ReportApi.download(stranger, UUID.randomUUID().toString()).statusCode());
        assertEquals(200, ReportApi.download(admin, id).statusCode(), "admins see every report");
    }

    @Test
    void shouldAnswer409SayingTheStateToADownloadBeforeSuccess() {
        String id = ReportApi.report(user, TestGenerators.SLOW, Map.of());

        ExtractableResponse<Response> early = ReportApi.download(user, id);
        assertEquals(409, early.statusCode());
        assertEquals("application/problem+json", early.contentType());
        assertThat(early.path("state"), org.hamcrest.Matchers.oneOf("unprocessed", "generating"));
        assertThat(early.<String>path("detail"), containsString("only a report in state success can be downloaded"));
        given().header("Authorization", Tokens.bearer(user)).head("/api/v1/reports/" + id + "/download").then()
                .statusCode(409);

        ReportApi.cancel(user, id).statusCode(200);
    }

    @Test
    void shouldAnswerHeadWithTheHeadersAlone() {
        String id = ReportApi.report(user, "jobs-detail", Map.of("format", "csv"));
        ReportApi.awaitState(user, id, "success");
        long size = ((Number) ReportApi.get(user, id).extract().path("size")).longValue();

        var head = given().header("Authorization", Tokens.bearer(user)).head("/api/v1/reports/" + id + "/download")
                .then().statusCode(200).extract();
        assertThat(head.header("Content-Disposition"), matchesPattern("attachment; filename=\"jobs-detail-.*\\.csv\""));
        assertThat(head.contentType(), containsString("text/csv"));
        assertEquals(Long.toString(size), head.header("Content-Length"));
        assertEquals(0, head.asByteArray().length);
    }

    @Test
    void shouldEndAFailingGeneratorInErrorWithItsMessageAndNothingDownloadable() {
        long filesBefore = storedFilesOf(name);
        String id = ReportApi.report(user, TestGenerators.FAILING, Map.of());
        ReportApi.awaitState(user, id, "error");

        ReportApi.get(user, id).statusCode(200)
                .body("status_data.message", equalTo(TestGenerators.FAILURE_MESSAGE))
                .body("status_data.exception_type", equalTo(IllegalStateException.class.getName()))
                .body("finished_at", notNullValue())
                .body("downloadable", equalTo(false))
                .body("output_filename", nullValue())
                .body("links.download", nullValue());
        ExtractableResponse<Response> download = ReportApi.download(user, id);
        assertEquals(409, download.statusCode());
        assertEquals("error", download.path("state"));
        assertEquals(filesBefore, storedFilesOf(name), "the half-written file was removed");
    }

    @Test
    void shouldStopAGeneratingReportWhenCancelledAndRemoveItsPartialOutput() {
        String id = ReportApi.report(user, TestGenerators.SLOW, Map.of());
        ReportApi.awaitState(user, id, "generating");
        await().atMost(ReportApi.SOON).until(() -> storedFilesOf(name) > 0 && chunksOf(name) > 0
                || ((Number) ReportApi.get(user, id).extract().path("progress.done")).intValue() > 5);

        ReportApi.cancel(user, id).statusCode(200)
                .body("state", equalTo("cancelled"))
                .body("finished_at", notNullValue())
                .body("available_transitions.size()", equalTo(0));

        await().atMost(java.time.Duration.ofSeconds(2)).until(() -> !runner.isRunning(UUID.fromString(id)));
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> storedFilesOf(name) == 0);
        assertEquals(List.of("create", "start", "cancel"), Api.transitionNames(user, id));
        assertEquals(409, ReportApi.download(user, id).statusCode());
    }

    @Test
    void shouldEndAGeneratorWaitingForACancelAsSoonAsItIsCancelled() {
        String id = ReportApi.report(user, TestGenerators.WAITING, Map.of());
        await().atMost(ReportApi.SOON).until(() -> ReportApi.get(user, id).extract().path("progress.done") instanceof Number done
                && done.intValue() == 1);
        ReportApi.cancel(user, id).statusCode(200).body("state", equalTo("cancelled"));
        // The generator waits up to five minutes; the cancel wakes it, so the worker lets go within seconds.
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !runner.isRunning(UUID.fromString(id)));
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> storedFilesOf(name) == 0);
    }

    @Test
    void shouldCancelAReportBeforeAWorkerTakesIt() {
        String id = ReportApi.report(user, TestGenerators.SLOW, Map.of());
        ReportApi.cancel(user, id).statusCode(200).body("state", equalTo("cancelled"));
        await().atMost(ReportApi.SOON).until(() -> !runner.isRunning(UUID.fromString(id)));
        assertEquals("cancelled", ReportApi.state(user, id));
    }

    @Test
    void shouldListTheCallersOwnReportsAndEveryoneOfThemForAdmins() {
        String mine = ReportApi.report(user, "jobs-detail", Map.of("format", "csv"));
        String theirs = ReportApi.report(Tokens.user(Tokens.newUser()), "jobs-detail", Map.of("format", "csv"));

        given().header("Authorization", Tokens.bearer(user)).get("/api/v1/reports").then().statusCode(200)
                .body("items.id", equalTo(List.of(mine)))
                .body("has_more", equalTo(false));
        given().header("Authorization", Tokens.bearer(admin)).queryParam("size", 200).get("/api/v1/reports").then()
                .statusCode(200)
                .body("items.id", hasItems(mine, theirs));
    }

    @Test
    void shouldListTheGeneratorsWithTheirOptions() {
        given().header("Authorization", Tokens.bearer(user)).get("/api/v1/reports/generators").then().statusCode(200)
                .body("type", hasItems("jobs-summary", "jobs-detail", "transition-log"))
                .body("find { it.type == 'jobs-detail' }.options_schema.properties.format.enum",
                        equalTo(List.of("xlsx", "csv")))
                .body("find { it.type == 'jobs-detail' }.options_schema.properties.from.anyOf.format",
                        equalTo(List.of("date", "date-time"))) // a date or an instant
                .body("find { it.type == 'transition-log' }.admin_only", equalTo(true))
                .body("find { it.type == 'jobs-summary' }.content_type", equalTo(XLSX));
    }

    @Test
    void shouldRefuseAnUnknownGeneratorListingTheKnownOnesAndCreateNothing() {
        ReportApi.submit(user, Map.of("generator_type", "pie-chart")).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("generator_type"))
                .body("known_types", hasItems("jobs-summary", "jobs-detail", "transition-log"))
                .body("detail", containsString("jobs-detail"));
        assertNoReportOf(user);
    }

    @Test
    void shouldRefuseInvalidOptionsNamingTheFieldAndCreateNothing() {
        ReportApi.submit(user, Map.of("generator_type", "jobs-detail",
                        "generator_options", Map.of("from", "last tuesday", "format", "pdf")))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("generator_options.from", "generator_options.format"));
        ReportApi.submit(user, Map.of("generator_type", "jobs-detail",
                        "generator_options", Map.of("from", "2025-02-01", "to", "2025-01-01")))
                .statusCode(400)
                .body("errors[0].field", equalTo("generator_options.to"))
                .body("errors[0].message", equalTo("must be after from"));
        ReportApi.submit(user, Map.of("generator_type", "jobs-detail", "generator_options", Map.of("colour", "red")))
                .statusCode(400)
                .body("errors[0].field", equalTo("generator_options.colour"));
        assertNoReportOf(user);
    }

    @Test
    void shouldRefuseOptionsThatAreNotAnObject() {
        ReportApi.submit(user, "{\"generator_type\": \"jobs-detail\", \"generator_options\": [1, 2]}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("generator_options"))
                .body("errors[0].message", equalTo("must be a JSON object"));
        ReportApi.submit(user, "{\"generator_type\": \"jobs-detail\", \"generator_options\": \"csv\"}").statusCode(400);
        ReportApi.submit(user, "{\"generator_options\": {}}").statusCode(400)
                .body("errors[0].field", equalTo("generator_type"));
        ReportApi.submit(user, "{\"generator_type\": \"jobs-detail\", \"colour\": 1}").statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        assertNoReportOf(user);
    }

    @Test
    void shouldRefuseAnOversizedRequestWith413() {
        String huge = "{\"generator_type\": \"jobs-detail\", \"generator_options\": {\"pad\": \""
                + "x".repeat(2 * 1024 * 1024) + "\"}}";
        ReportApi.submit(user, huge).statusCode(413).contentType("application/problem+json");
        assertNoReportOf(user);
    }

    @Test
    void shouldAnswer410OnceTheResultExpiredAndCleanupRemovedIt() {
        String id = ReportApi.report(user, "jobs-detail", Map.of("format", "csv"));
        ReportApi.awaitState(user, id, "success");
        ServicesResource.number("WITH expired AS (UPDATE stored_file SET expires_at = now() - interval '1 minute' "
                + "WHERE id = (SELECT result_file_id FROM job WHERE id = ?) RETURNING 1) SELECT count(*) FROM expired",
                UUID.fromString(id));
        assertEquals(410, ReportApi.download(user, id).statusCode(), "expired, even before cleanup ran");

        cleanup.run(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), new java.io.PrintWriter(System.out, true),
                new java.io.PrintWriter(System.err, true));

        ExtractableResponse<Response> gone = ReportApi.download(user, id);
        assertEquals(410, gone.statusCode());
        assertEquals("application/problem+json", gone.contentType());
        assertEquals(0, ServicesResource.number("SELECT count(*) FROM job WHERE id = ? AND result_file_id IS NOT NULL",
                UUID.fromString(id)), "the job keeps no result");
        ReportApi.get(user, id).statusCode(200).body("state", equalTo("success")).body("downloadable", equalTo(false));
    }

    @Test
    void shouldDescribeTheReportWorkflow() {
        given().header("Authorization", Tokens.bearer(user)).get("/api/v1/workflows").then().statusCode(200)
                .body("kind", hasItem("report"))
                .body("find { it.kind == 'report' }.initial", equalTo("unprocessed"));
    }

    private void assertNoReportOf(String token) {
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/reports").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    private static long storedFilesOf(String owner) {
        return ServicesResource.number("SELECT count(*) FROM stored_file WHERE owner = ?", owner);
    }

    private static long chunksOf(String owner) {
        return ServicesResource.number("SELECT count(*) FROM stored_file_chunk c JOIN stored_file f ON f.id = c.file_id "
                + "WHERE f.owner = ?", owner);
    }

    /** The total row's label, as the summary writes it. */
    private static final class JobsSummaryReportName {
        static final String TOTAL = dev.offload.report.generators.JobsSummaryReport.TOTAL;
    }
}
