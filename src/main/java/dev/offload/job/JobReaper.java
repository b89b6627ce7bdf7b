package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import dev.offload.job.JobKind.Phase;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Turns expired leases into a retry (back to the phase's waiting state, attempt kept, published again)
 * below the attempt cap, and into the phase's error state with reason "worker lost" at the cap.
 * Every replica may run it: each change is a compare-and-set on the lease it saw expire.
 */
@ApplicationScoped
public class JobReaper {

    public static final String WORKER_LOST = "worker lost";
    private static final Logger LOG = Logger.getLogger(JobReaper.class);
    static final String EXPIRED_SQL = "SELECT id, kind, state, attempt, max_attempts, lease_owner, lease_expires_at"
            + " FROM " + Job.TABLE + " WHERE lease_expires_at < $1 ORDER BY lease_expires_at LIMIT $2";

    private final JobKinds kinds;
    private final WorkflowService workflows;
    private final JobPublisher publisher;
    private final OffloadConfig config;
    private final MeterRegistry meters;
    private final Pool pool;
    private final EngineDb db;

    public JobReaper(JobKinds kinds, WorkflowService workflows, JobPublisher publisher, OffloadConfig config,
            MeterRegistry meters, EngineDb db) {
        this.kinds = kinds;
        this.workflows = workflows;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
        this.pool = db.pool();
        this.db = db;
    }

    @Scheduled(every = "${offload.reaper.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> reap() {
        return pool.preparedQuery(EXPIRED_SQL).execute(Tuple.of(Timestamps.now(), config.reaper().batch()))
                .map(rows -> {
                    List<Row> expired = new ArrayList<>();
                    rows.forEach(expired::add);
                    return expired;
                })
                .chain(expired -> Multi.createFrom().iterable(expired)
                        .onItem().transformToUniAndConcatenate(this::reap)
                        .collect().asList())
                // A pass that hangs (a stuck connection) must not block every later pass.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .onFailure().invoke(e -> failed(e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> reap(Row job) {
        JobKind<?> kind = kinds.find(job.getString("kind")).orElse(null);
        String state = job.getString("state");
        Phase phase = kind == null ? null : kind.phaseRunningIn(state).orElse(null);
        if (phase == null) {
            return Uni.createFrom().voidItem();
        }
        int attempt = job.getInteger("attempt");
        int maxAttempts = job.getInteger("max_attempts");
        String leaseOwner = job.getString("lease_owner");
        boolean retry = attempt < maxAttempts;
        OffsetDateTime now = Timestamps.now();
        StateUpdate update = StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null)
                .when("attempt", attempt).when("leaseExpiresAt", job.getOffsetDateTime("lease_expires_at"));
        if (retry) {
            update.and("queuedAt", now);
        } else {
            update.and("finishedAt", now).and("errorMessage", WORKER_LOST).and("errorType", "WorkerLost");
        }
        Map<String, Object> extra = Map.of("attempt", attempt, "lease_owner", String.valueOf(leaseOwner),
                "reason", WORKER_LOST);
        return workflows.apply(kind.workflow(), new WorkflowService.Change(job.getUUID("id"), state,
                        retry ? phase.retry() : phase.fail(), "reaper", extra, update, Map.of(), now))
                .invoke(moved -> {
                    LOG.infof("%s %s: lease of %s expired in attempt %d/%d -> %s", kind.name(), job.getUUID("id"),
                            leaseOwner, attempt, maxAttempts, moved);
                    if (retry) {
                        publisher.publishLater(kind.name(), job.getUUID("id"), now);
                    } else {
                        meters.counter("offload.jobs.finished", "kind", kind.name(), "state", moved).increment();
                    }
                })
                .onFailure(IllegalTransitionException.class).recoverWithNull()
                .replaceWithVoid();
    }

    /** A pass that fails while the process stops (its connections closing) is logged at debug only. */
    private void failed(Throwable e) {
        if (db.closed()) {
            LOG.debugf("reaper pass ended by the shutdown: %s", e.getMessage());
        } else {
            LOG.warnf("reaper pass failed: %s", e.getMessage());
        }
    }
}
