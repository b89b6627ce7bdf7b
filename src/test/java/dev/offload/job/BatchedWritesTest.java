package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.canary.CanaryKind;
import dev.offload.canary.CanaryRow;
import dev.offload.db.Timestamps;
import dev.offload.support.Api;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The engine's group commit against the real database: shared statements, each job whole, failures alone. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class BatchedWritesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    JobService jobs;

    @Inject
    CanaryKind canary;

    @Inject
    TwoPhaseKind twoPhase;

    @Inject
    WorkflowService workflows;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry meters;

    private long count(String sql, Object... args) {
        Tuple tuple = Tuple.tuple();
        for (Object arg : args) {
            tuple.addValue(arg);
        }
        return pool.preparedQuery(sql).execute(tuple).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private double submitStatements() {
        var summary = meters.find("offload.batch.size").tags("statement", "submit", "kind", "canary").summary();
        return summary == null ? 0 : summary.count();
    }

    @Test
    void shouldWriteConcurrentSubmissionsInSharedStatementsEachWithItsRowAndLog() {
        String owner = "batch-" + Tokens.newUser();
        Caller caller = new Caller(owner, true);
        double statementsBefore = submitStatements();

        List<Uni<Job>> submissions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            submissions.add(jobs.submit(canary, caller, new CanaryRow(i, false, 0), Map.of()).map(JobView::job));
        }
        List<Job> submitted = Uni.join().all(submissions).andFailFast().await().atMost(WAIT);

        UUID[] ids = submitted.stream().map(job -> job.id).toArray(UUID[]::new);
        assertEquals(200, ids.length);
        assertEquals(200, count("SELECT count(*) FROM job WHERE id = ANY($1) AND owner = $2", ids, owner));
        assertEquals(200, count("SELECT count(DISTINCT sleep_ms) FROM canary_job WHERE job_id = ANY($1)", (Object) ids),
                "each job got its own kind row");
        assertEquals(200, count("SELECT count(*) FROM transition_log WHERE subject_id = ANY($1) AND transition = 'create'"
                + " AND actor = $2 AND to_state = 'created'", ids, owner));
        double statements = submitStatements() - statementsBefore;
        assertTrue(statements < 200, "200 submissions shared " + statements + " statements");
    }

    @Test
    void shouldFailOnlyTheSubmissionWhoseRowTheDatabaseRefuses() {
        String owner = "batch-" + Tokens.newUser();
        Caller caller = new Caller(owner, true);

        List<Uni<String>> submissions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TwoPhaseKind.Row row = new TwoPhaseKind.Row(i == 17 ? TwoPhaseKind.REFUSED : "fine " + i, null);
            submissions.add(jobs.submit(twoPhase, caller, row, Map.of()).map(job -> "ok")
                    .onFailure().recoverWithItem(e -> "failed: " + e.getMessage()));
        }
        List<String> outcomes = Uni.join().all(submissions).andFailFast().await().atMost(WAIT);

        assertEquals(29, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertTrue(outcomes.get(17).contains("test_two_phase_job_note_check"), outcomes.get(17));
        assertEquals(29, count("SELECT count(*) FROM job WHERE owner = $1", owner), "nothing half-written for the bad one");
        assertEquals(29, count("SELECT count(*) FROM transition_log WHERE actor = $1 AND transition = 'create'", owner));
    }

    @Test
    void shouldApplyManyTransitionsInOneCallEachAsCompareAndSet() {
        String admin = Tokens.admin(Tokens.newUser());
        List<UUID> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Api.canary(admin, Map.of("sleep_ms", 60_000));
            Api.awaitState(admin, id, "running", WAIT);
            running.add(UUID.fromString(id));
        }
        String finished = Api.canary(admin, Map.of());
        Api.awaitState(admin, finished, "success", WAIT);

        List<WorkflowService.Change> changes = new ArrayList<>();
        for (UUID id : running) {
            changes.add(cancel(id));
        }
        changes.add(cancel(running.get(0))); // named twice: only one may apply
        changes.add(cancel(UUID.fromString(finished))); // no longer running
        List<String> states = workflows.applyAll(CanaryKind.WORKFLOW, changes).await().atMost(WAIT);

        assertEquals("cancelled", states.get(0));
        assertEquals("cancelled", states.get(1));
        assertEquals("cancelled", states.get(2));
        assertNull(states.get(3));
        assertNull(states.get(4));
        for (UUID id : running) {
            assertEquals("cancelled", Api.state(admin, id.toString()));
            assertEquals(1, Api.transitionNames(admin, id.toString()).stream().filter("cancel"::equals).count());
        }
        assertEquals(List.of("create", "start", "succeed"), Api.transitionNames(admin, finished));
    }

    /** A canary job row in {@code state} with its kind row, written directly (no job_unconfirmed row: the relay sends no wake-up). */
    private UUID jobRow(String owner, String state, int sleepMs) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO job (id, kind, owner, state, attempt, max_attempts, progress_done,"
                + " created_at, queued_at) VALUES ($1, 'canary', $2, $3, 0, 3, 0, now(), now())")
                .execute(Tuple.of(id, owner, state)).await().atMost(WAIT);
        pool.preparedQuery("INSERT INTO canary_job (job_id, sleep_ms, fail, progress_steps) VALUES ($1, $2, false, 0)")
                .execute(Tuple.of(id, sleepMs)).await().atMost(WAIT);
        return id;
    }

    private List<io.vertx.mutiny.sqlclient.Row> startAll(List<UUID> ids) {
        return workflows.advanceAll(CanaryKind.WORKFLOW, ids, Map.of("created", "start"), "claim-test", Timestamps.now(),
                        StateUpdate.set("leaseOwner", "claim-test").increment("attempt"), List.of("attempt"),
                        List.of("owner", "attempt"), new WorkflowService.Joined("canary_job", "job_id"))
                .await().atMost(WAIT);
    }

    @Test
    void shouldAdvanceEachWaitingSubjectOnceInOneStatementWithItsLogRowAndJoinedRow() {
        String owner = "advance-" + Tokens.newUser();
        List<UUID> waiting = List.of(jobRow(owner, "created", 11), jobRow(owner, "created", 12), jobRow(owner, "created", 13));
        UUID finished = jobRow(owner, "success", 14);
        List<UUID> ids = new ArrayList<>(waiting);
        ids.add(waiting.get(0)); // named twice: moves once
        ids.add(finished); // in no state the call moves on from
        ids.add(UUID.randomUUID()); // no such subject

        var moved = startAll(ids);

        assertEquals(3, moved.size());
        List<Integer> sleeps = new ArrayList<>();
        for (var row : moved) {
            assertTrue(waiting.contains(row.getUUID("id")));
            assertEquals("created", row.getString("from_state"));
            assertEquals("running", row.getString("to_state"));
            assertEquals(owner, row.getString("owner"));
            assertEquals(1, row.getInteger("attempt"), "the attempt was incremented");
            sleeps.add(row.getJsonObject("joined").getInteger("sleep_ms"));
        }
        assertEquals(List.of(11, 12, 13), sleeps.stream().sorted().toList(), "each came back with its own kind row");
        UUID[] waitingIds = waiting.toArray(UUID[]::new);
        assertEquals(3, count("SELECT count(*) FROM job WHERE id = ANY($1) AND state = 'running' AND attempt = 1"
                + " AND lease_owner = 'claim-test'", (Object) waitingIds));
        assertEquals(3, count("SELECT count(*) FROM transition_log WHERE subject_id = ANY($1) AND transition = 'start'"
                + " AND from_state = 'created' AND to_state = 'running' AND actor = 'claim-test'"
                + " AND extra = '{\"attempt\": 1}'::jsonb", (Object) waitingIds), "one log row each, with the new attempt");
        assertEquals(1, count("SELECT count(*) FROM job WHERE id = $1 AND state = 'success' AND attempt = 0", finished));
        assertEquals(0, count("SELECT count(*) FROM transition_log WHERE subject_id = $1", finished));

        assertEquals(0, startAll(waiting).size(), "they moved on: a second claim moves nothing");
        assertEquals(3, count("SELECT count(*) FROM transition_log WHERE subject_id = ANY($1) AND transition = 'start'",
                (Object) waitingIds));
    }

    @Test
    void shouldLetExactlyOneOfConcurrentAdvancesMoveASubject() {
        String owner = "advance-" + Tokens.newUser();
        UUID id = jobRow(owner, "created", 0);

        List<Uni<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(workflows.advanceAll(CanaryKind.WORKFLOW, List.of(id), Map.of("created", "start"), "racer-" + i,
                    Timestamps.now(),
                    StateUpdate.set("leaseOwner", "racer-" + i).increment("attempt"), List.of("attempt"), List.of(),
                    null).map(rows -> rows.size()));
        }
        List<Integer> moved = Uni.join().all(racers).andFailFast().await().atMost(WAIT);

        assertEquals(1, moved.stream().mapToInt(Integer::intValue).sum(), moved.toString());
        assertEquals(1, count("SELECT count(*) FROM job WHERE id = $1 AND state = 'running' AND attempt = 1", id));
        assertEquals(1, count("SELECT count(*) FROM transition_log WHERE subject_id = $1 AND transition = 'start'", id));
    }

    @Test
    void shouldRefuseAnAdvanceTheWorkflowDoesNotAllowBeforeWritingAnything() {
        String owner = "advance-" + Tokens.newUser();
        UUID id = jobRow(owner, "success", 0);

        Throwable refused = workflows.advanceAll(CanaryKind.WORKFLOW, List.of(id), Map.of("success", "start"), "test",
                        Timestamps.now(), StateUpdate.none(), List.of(), List.of(), null)
                .onItem().<Throwable>transform(rows -> null).onFailure().recoverWithItem(e -> e)
                .await().atMost(WAIT);

        assertTrue(refused instanceof dev.offload.workflow.IllegalTransitionException, String.valueOf(refused));
        assertEquals(1, count("SELECT count(*) FROM job WHERE id = $1 AND state = 'success'", id));
        assertEquals(0, count("SELECT count(*) FROM transition_log WHERE subject_id = $1", id));
    }

    private static WorkflowService.Change cancel(UUID id) {
        return new WorkflowService.Change(id, "running", "cancel", "batch-test", Map.of("why", "test"),
                StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null));
    }
}
