package dev.offload.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.client.api.CanaryResourceApi;
import dev.offload.client.api.JobResourceApi;
import dev.offload.client.api.ReportResourceApi;
import dev.offload.client.api.ServiceStatsResourceApi;
import dev.offload.client.api.StatisticResourceApi;
import dev.offload.client.model.CanaryRequest;
import dev.offload.client.model.JobResponse;
import dev.offload.client.model.ReportRequest;
import dev.offload.client.model.ReportResponse;
import dev.offload.client.model.TransitionResponse;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, through the Java client that the build generates from docs/openapi.json (the served
 * document: OpenApiSnapshotTest) and nothing else: a client built from the document alone can use the API.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class ApiClientTourTest {

    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(RestAssured.baseURI + ":" + RestAssured.port);
        client.setRequestInterceptor(request -> request.header("Authorization", Tokens.bearer(token)));
        return client;
    }

    @Test
    void shouldRunTheTourThroughTheGeneratedClient() throws Exception {
        String alice = Tokens.newUser();
        ApiClient admin = client(Tokens.admin(alice));
        CanaryResourceApi canaries = new CanaryResourceApi(admin);
        JobResourceApi jobs = new JobResourceApi(admin);

        // submit: 202, the job and its Location
        ApiResponse<JobResponse> submitted = canaries.postCanariesWithHttpInfo(
                new CanaryRequest().sleepMs(300).progressSteps(3));
        assertEquals(202, submitted.getStatusCode());
        JobResponse job = submitted.getData();
        assertTrue(submitted.getHeaders().get("location").get(0).endsWith("/api/v1/jobs/" + job.getId()));
        assertEquals("canary", job.getKind());

        // follow it: the event stream, which ends after a final state
        File stream = jobs.getJobsByIdEvents(job.getId());
        String events = Files.readString(stream.toPath());
        assertTrue(events.contains("\"state\":\"success\""), events);
        List<String> data = events.lines().filter(l -> l.startsWith("data:")).toList();
        for (int i = 1; i < data.size(); i++) {
            assertTrue(!data.get(i).equals(data.get(i - 1)), "no event is sent twice: " + data);
        }
        assertEquals("success", jobs.getJobsById(job.getId()).getState());
        assertEquals(List.of("create", "start", "succeed"),
                jobs.getJobsByIdTransitions(job.getId()).stream().map(TransitionResponse::getTransition).toList());

        // cancel one
        JobResponse slow = canaries.postCanaries(new CanaryRequest().sleepMs(60_000));
        JobResponse cancelled = jobs.postJobsByIdByTransition(slow.getId(), "cancel");
        assertEquals("cancelled", cancelled.getState());
        // one clock, one instant: the job finished when it was cancelled
        TransitionResponse cancel = jobs.getJobsByIdTransitions(slow.getId()).stream()
                .filter(t -> t.getTransition().equals("cancel")).findFirst().orElseThrow();
        assertEquals(cancel.getAt().toInstant(), jobs.getJobsById(slow.getId()).getFinishedAt().toInstant());
        ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> jobs.postJobsByIdByTransition(slow.getId(), "cancel"));
        assertEquals(409, refused.getCode());
        assertTrue(refused.getResponseBody().contains("available_transitions"), refused.getResponseBody());

        // list
        assertTrue(jobs.getJobs("canary", 0, 50, "success").getItems().stream()
                .anyMatch(j -> j.getId().equals(job.getId())));

        // a report: submit, wait, download
        ReportResourceApi reports = new ReportResourceApi(client(Tokens.user(alice)));
        assertTrue(reports.getReportsGenerators().stream().anyMatch(g -> "jobs-detail".equals(g.getType())));
        ApiResponse<ReportResponse> report = reports.postReportsWithHttpInfo(new ReportRequest()
                .generatorType("jobs-detail").generatorOptions(Map.of("from", "2025-01-01", "format", "csv")));
        assertEquals(202, report.getStatusCode());
        assertEquals("unprocessed", report.getData().getState());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "success".equals(reports.getReportsById(report.getData().getId()).getState()));
        ApiResponse<File> download = reports.getReportsByIdDownloadWithHttpInfo(report.getData().getId());
        // one framing, so strict clients (Node's) take it: a length, no chunks
        assertNotNull(download.getHeaders().get("content-length"), download.getHeaders().toString());
        assertEquals(null, download.getHeaders().get("transfer-encoding"), download.getHeaders().toString());
        String rows = Files.readString(download.getData().toPath());
        assertTrue(rows.contains(job.getId().toString()), rows);

        // statistics: this service's own, and the gathered rows (none gathered here: an empty page)
        ApiClient statsAdmin = client(Tokens.admin(Tokens.newUser()));
        assertNotNull(new ServiceStatsResourceApi(statsAdmin).getStats().getJobs());
        assertNotNull(new StatisticResourceApi(statsAdmin)
                .getStatistics("http://nowhere.invalid/stats", null, 0, null, 10, null).getItems());
    }
}
