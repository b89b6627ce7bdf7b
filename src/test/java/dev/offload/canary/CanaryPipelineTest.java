package dev.offload.canary;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.job.JobPublisher;
import dev.offload.job.JobRunner;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The canary through the real PostgreSQL and RabbitMQ: the engine's pipeline end to end. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class CanaryPipelineTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    JobPublisher publisher;

    @Inject
    JobRunner runner;

    @Inject
    MeterRegistry meters;

    private final String admin = Tokens.admin(Tokens.newUser());

    @Test
    void shouldRunACanaryToSuccessThroughTheBrokerAndLogEveryTransition() {
        String id = Api.canary(admin, Map.of("sleep_ms", 200, "progress_steps", 4));

        Api.awaitState(admin, id, "success", SOON);

        Api.job(admin, id).statusCode(200)
                .body("kind", equalTo("canary"))
                .body("attempt", equalTo(1))
                .body("progress.done", equalTo(4))
                .body("progress.total", equalTo(4))
                .body("progress.percent", equalTo(100))
                .body("started_at", notNullValue())
                .body("finished_at", notNullValue())
                .body("error", nullValue())
                .body("available_transitions.size()", equalTo(0));
        List<Map<String, Object>> log = Api.transitions(admin, id);
        assertEquals(List.of("create", "start", "succeed"), log.stream().map(t -> t.get("transition")).toList());
        assertEquals(List.of("created", "running", "success"), log.stream().map(t -> t.get("to_state")).toList());
        assertEquals(null, log.get(0).get("from_state"));
        assertTrue(((String) log.get(1).get("actor")).startsWith("worker:"), "a worker applied start");
    }

    @Test
    void shouldEndAFailingCanaryInErrorWithItsMessageAndExceptionType() {
        String id = Api.canary(admin, Map.of("fail", true));

        Api.awaitState(admin, id, "error", SOON);

        Api.job(admin, id).statusCode(200)
                .body("error.message", equalTo("the canary was asked to fail"))
                .body("error.type", equalTo(CanaryKind.CanaryFailure.class.getName()))
                .body("error.trace", containsString("CanaryKind.run"))
                .body("finished_at", notNullValue());
        assertEquals(List.of("create", "start", "fail"), Api.transitionNames(admin, id));
    }

    @Test
    void shouldShowTheStackTraceToAdminsOnly() {
        String owner = Tokens.newUser();
        String ownerAdmin = Tokens.admin(owner);
        String id = Api.canary(ownerAdmin, Map.of("fail", true));
        Api.awaitState(ownerAdmin, id, "error", SOON);

        Api.job(Tokens.user(owner), id).statusCode(200)
                .body("error.message", equalTo("the canary was asked to fail"))
                .body("error.trace", nullValue());
    }

    @Test
    void shouldRunAJobOnceWhenItsMessageArrivesSeveralTimes() {
        double droppedBefore = deliveries("dropped");
        String id = Api.canary(admin, Map.of("sleep_ms", 300));
        UUID uuid = UUID.fromString(id);
        OffsetDateTime queuedAt = OffsetDateTime.now(); // matches no job_unconfirmed row: the confirms remove nothing
        publisher.publish(CanaryKind.NAME, uuid, queuedAt).await().atMost(Duration.ofSeconds(5));
        publisher.publish(CanaryKind.NAME, uuid, queuedAt).await().atMost(Duration.ofSeconds(5));

        Api.awaitState(admin, id, "success", SOON);
        await().atMost(SOON).until(() -> deliveries("dropped") >= droppedBefore + 2);

        assertEquals(List.of("create", "start", "succeed"), Api.transitionNames(admin, id));
        Api.job(admin, id).body("attempt", equalTo(1));
    }

    @Test
    void shouldStopARunningJobWithinASecondOfItsCancel() {
        String id = Api.canary(admin, Map.of("sleep_ms", 30_000, "progress_steps", 30));
        Api.awaitState(admin, id, "running", SOON);
        await().atMost(SOON).until(() -> runner.isRunning(UUID.fromString(id)));

        Api.cancel(admin, id).statusCode(200)
                .body("state", equalTo("cancelled"))
                .body("available_transitions.size()", equalTo(0));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !runner.isRunning(UUID.fromString(id)));
        assertEquals(List.of("create", "start", "cancel"), Api.transitionNames(admin, id));
        Api.job(admin, id).body("state", equalTo("cancelled")).body("finished_at", notNullValue());
    }

    @Test
    void shouldCancelAJobWhoseStateChangedWhileTheCancelWaitedForItsRow() throws Exception {
        String id = Api.canary(admin, Map.of("sleep_ms", 30_000));
        Api.awaitState(admin, id, "running", SOON);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (Connection db = ServicesResource.connection()) {
            db.setAutoCommit(false);
            // Another writer holds the row and moves the job on (back to its queue, as a hand-back does).
            try (PreparedStatement back = db.prepareStatement("UPDATE job SET state = 'created', lease_owner = NULL,"
                    + " lease_expires_at = NULL WHERE id = ?::uuid")) {
                back.setString(1, id);
                assertEquals(1, back.executeUpdate());
            }
            Future<ValidatableResponse> cancel = client.submit(() -> Api.cancel(admin, id));
            // The cancel waits for the row: it decides from the state the other writer leaves.
            await().atMost(SOON).until(() -> ServicesResource.number("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    + " AND query ILIKE 'select to_jsonb(j)%for update'") > 0);
            db.commit();
            cancel.get(SOON.toSeconds(), TimeUnit.SECONDS).statusCode(200).body("state", equalTo("cancelled"));
        } finally {
            client.shutdownNow();
            client.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertEquals("cancelled", Api.state(admin, id));
        // Tried again from the state the other writer left, not from the one the cancel first read.
        List<Map<String, Object>> log = Api.transitions(admin, id);
        assertEquals("cancel", log.get(log.size() - 1).get("transition"));
        assertEquals("created", log.get(log.size() - 1).get("from_state"));
    }

    @Test
    void shouldCancelAJobBeforeAWorkerTakesIt() {
        String id = Api.canary(admin, Map.of("sleep_ms", 30_000));
        // Whether a worker took it already or not, cancel is available from both states.
        Api.cancel(admin, id).statusCode(200).body("state", equalTo("cancelled"));
        await().atMost(SOON).until(() -> !runner.isRunning(UUID.fromString(id)));
        assertEquals("cancelled", Api.state(admin, id));
    }

    @Test
    void shouldRefuseToCancelAFinishedJobWithTheStateAndAvailableTransitions() {
        String id = Api.canary(admin, Map.of());
        Api.awaitState(admin, id, "success", SOON);

        Api.cancel(admin, id).statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("transition", equalTo("cancel"))
                .body("state", equalTo("success"))
                .body("available_transitions.size()", equalTo(0))
                .body("detail", containsString("'cancel' is not available from state 'success'"));
        assertEquals(List.of("create", "start", "succeed"), Api.transitionNames(admin, id));
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentCancelsWin() throws Exception {
        String id = Api.canary(admin, Map.of("sleep_ms", 30_000));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> cancel = () -> {
                go.await();
                return Api.cancel(admin, id).extract().statusCode();
            };
            List<Future<Integer>> results = new ArrayList<>();
            results.add(pool.submit(cancel));
            results.add(pool.submit(cancel));
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            statuses.sort(Integer::compare);
            assertEquals(List.of(200, 409), statuses);
        } finally {
            pool.shutdownNow();
        }
        List<String> log = Api.transitionNames(admin, id);
        assertEquals(1, log.stream().filter("cancel"::equals).count(), "one cancel logged: " + log);
    }

    @Test
    void shouldKeepAJobSubmittedWhileTheBrokerIsDownAndRunItOnceTheBrokerIsBack() {
        String id;
        ServicesResource.broker().cut();
        try {
            id = Api.canary(admin, Map.of("sleep_ms", 10));
            Api.job(admin, id).statusCode(200).body("state", equalTo("created"));
            assertEquals(false, ServicesResource.confirmed(UUID.fromString(id)), "no confirm while the broker is down");
        } finally {
            ServicesResource.broker().restore();
        }
        Api.awaitState(admin, id, "success", Duration.ofSeconds(60));
        assertEquals(List.of("create", "start", "succeed"), Api.transitionNames(admin, id));
    }

    @Test
    void shouldListTheCallersTransitionsOldestFirst() {
        String id = Api.canary(admin, Map.of());
        Api.awaitState(admin, id, "success", SOON);
        io.restassured.RestAssured.given().header("Authorization", Tokens.bearer(admin))
                .get("/api/v1/jobs/" + id + "/transitions").then().statusCode(200)
                .body("transition", contains("create", "start", "succeed"))
                .body("[1].extra.attempt", equalTo(1));
    }

    private double deliveries(String outcome) {
        var counter = meters.find("offload.jobs.deliveries").tags("kind", "canary", "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
