package dev.offload.fault;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, killed with SIGKILL in the middle of a job: the job is retried by another
 * process, or ends in error "worker lost" at the attempt cap, within the lease time; never stuck running.
 * Also: the api and worker roles split across two processes.
 */
class WorkerFaultIT {

    private static final String LEASE = "3s";
    private static String database;
    private static String vhost;
    private final String admin = Tokens.admin(Tokens.newUser());

    @BeforeAll
    static void services() {
        database = TestServices.uniqueName("offload_fault");
        vhost = TestServices.uniqueName("offload-fault");
        TestServices.createDatabase(database);
        TestServices.createVirtualHost(vhost);
    }

    @AfterAll
    static void cleanUp() {
        TestServices.deleteVirtualHost(vhost);
        TestServices.dropDatabase(database);
    }

    private static Map<String, String> config(String role, int maxAttempts) {
        Map<String, String> config = TestServices.serviceConfig(database, vhost, role);
        config.put("offload.lease.duration", LEASE);
        config.put("offload.lease.renew-every", "1s");
        config.put("offload.reaper.every", "1s");
        config.put("offload.reaper.max-attempts", Integer.toString(maxAttempts));
        config.put("offload.relay.every", "1s");
        config.put("offload.relay.after", "2s");
        return config;
    }

    private String submit(ServiceProcess service, Map<String, Object> body) {
        return given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(admin))
                .contentType(ContentType.JSON).body(body).post("/api/v1/canaries")
                .then().statusCode(202).extract().path("id");
    }

    private Map<String, Object> job(ServiceProcess service, String id) {
        return given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(admin))
                .get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private List<Map<String, Object>> log(ServiceProcess service, String id) {
        return given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(admin))
                .get("/api/v1/jobs/" + id + "/transitions").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private void awaitState(ServiceProcess service, String id, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(job(service, id).get("state")));
    }

    @Test
    void shouldRetryAJobWhoseWorkerWasKilledAndEndInErrorAtTheCap() throws Exception {
        String retried;
        try (ServiceProcess first = ServiceProcess.start("first", config("all", 3))) {
            retried = submit(first, Map.of("sleep_ms", 4000, "progress_steps", 4));
            awaitState(first, retried, "running", Duration.ofSeconds(20));
            first.kill();
        }
        String capped;
        try (ServiceProcess second = ServiceProcess.start("second", config("all", 1))) {
            // Lease (3 s) + a reaper pass (1 s) + the 4 s of work: well inside this bound, never stuck running.
            awaitState(second, retried, "success", Duration.ofSeconds(30));
            Map<String, Object> job = job(second, retried);
            assertEquals(2, job.get("attempt"));
            List<Map<String, Object>> log = log(second, retried);
            assertEquals(List.of("create", "start", "retry", "start", "succeed"),
                    log.stream().map(t -> t.get("transition")).toList());
            Map<String, Object> retry = log.get(2);
            assertEquals("reaper", retry.get("actor"));
            assertEquals("worker lost", ((Map<?, ?>) retry.get("extra")).get("reason"));
            assertTrue(!log.get(1).get("actor").equals(log.get(3).get("actor")), "another process ran the retry");

            capped = submit(second, Map.of("sleep_ms", 30_000));
            awaitState(second, capped, "running", Duration.ofSeconds(20));
            second.kill();
        }
        try (ServiceProcess third = ServiceProcess.start("third", config("all", 1))) {
            awaitState(third, capped, "error", Duration.ofSeconds(20));
            given().baseUri(third.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .get("/api/v1/jobs/" + capped).then()
                    .body("error.message", equalTo("worker lost"))
                    .body("attempt", equalTo(1))
                    .body("finished_at", org.hamcrest.Matchers.notNullValue());
            assertEquals(List.of("create", "start", "fail"),
                    log(third, capped).stream().map(t -> t.get("transition")).toList());
        }
    }

    @Test
    void shouldHandBackARunningJobWhenItsWorkerStopsGracefully() throws Exception {
        String id;
        String firstWorker;
        try (ServiceProcess first = ServiceProcess.start("stopping", config("all", 3))) {
            id = submit(first, Map.of("sleep_ms", 3000, "progress_steps", 3));
            awaitState(first, id, "running", Duration.ofSeconds(20));
            firstWorker = (String) log(first, id).get(1).get("actor");
            first.close(); // SIGTERM: a rolling deploy
        }
        try (ServiceProcess second = ServiceProcess.start("taking-over", config("all", 3))) {
            awaitState(second, id, "success", Duration.ofSeconds(30));
            List<Map<String, Object>> log = log(second, id);
            assertEquals(List.of("create", "start", "retry", "start", "succeed"),
                    log.stream().map(t -> t.get("transition")).toList());
            assertEquals(firstWorker, log.get(2).get("actor"), "the stopping worker handed it back itself");
            assertEquals("worker stopping", ((Map<?, ?>) log.get(2).get("extra")).get("reason"));
        }
    }

    @Test
    void shouldServeTheApiFromApiPodsAndRunJobsOnWorkerPods() throws Exception {
        try (ServiceProcess worker = ServiceProcess.start("worker", config("worker", 3));
                ServiceProcess api = ServiceProcess.start("api", config("api", 3))) {
            given().baseUri(worker.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .get("/api/v1/jobs").then().statusCode(404).contentType("application/problem+json");
            given().baseUri(worker.baseUri()).get("/q/health/ready").then().statusCode(200);

            String id = submit(api, Map.of("sleep_ms", 100));
            awaitState(api, id, "success", Duration.ofSeconds(20));
            String actor = (String) log(api, id).get(1).get("actor");
            assertTrue(actor.contains(":" + worker.pid() + ":"), "the worker process ran it: " + actor);
        }
    }
}
