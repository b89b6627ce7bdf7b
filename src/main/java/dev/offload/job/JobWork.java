package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import dev.offload.storage.FileStore;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs a claimed job's phase on the calling worker thread, outside any transaction, and records how it
 * ended: success or failure with a compare-and-set on (state, attempt, lease owner), in one statement with
 * the other ends of the moment; a job this worker gives up (it stops) goes back to its queue.
 */
@ApplicationScoped
class JobWork {

    private static final Logger LOG = Logger.getLogger(JobWork.class);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopping worker waits for the broker to confirm a handed-back job's wake-up. */
    private static final Duration HAND_BACK_CONFIRM = Duration.ofSeconds(5);
    /** How long a job runs before this process listens for its cancel and announces its start. */
    static final Duration ANNOUNCE_AFTER = Duration.ofMillis(100);

    private final WorkflowService workflows;
    private final WorkerIdentity identity;
    private final MeterRegistry meters;
    private final Batchers batchers;
    private final JobPublisher publisher;
    private final CancelWatch watch;
    private final FileStore store;
    private final RunningJob.Support support;
    private final Map<UUID, RunningJob<?>> running = new ConcurrentHashMap<>();
    private final Map<String, Batcher<WorkflowService.Change, String>> finishers = new ConcurrentHashMap<>();
    volatile boolean stopping;

    private final JobTracing tracing;

    JobWork(WorkflowService workflows, WorkerIdentity identity, MeterRegistry meters, Batchers batchers,
            JobPublisher publisher, CancelWatch watch, FileStore store, EngineDb db, OffloadConfig config,
            JobTracing tracing) {
        this.tracing = tracing;
        this.workflows = workflows;
        this.identity = identity;
        this.meters = meters;
        this.batchers = batchers;
        this.publisher = publisher;
        this.watch = watch;
        this.store = store;
        this.support = new RunningJob.Support(db.pool(), store, identity.id(), config.progressInterval(),
                config.results().expireAfter());
    }

    /** The jobs running in this process now. */
    Collection<RunningJob<?>> running() {
        return running.values();
    }

    boolean isRunning(UUID id) {
        return running.containsKey(id);
    }

    <R> RunningJob<R> start(JobKind<R> kind, Claims.Claimed claimed) {
        return new RunningJob<>(claimed.id(), kind, claimed.owner(), claimed.attempt(), claimed.phase(), claimed.at(),
                claimed.result(), claimed.row(), support, System.nanoTime() + ANNOUNCE_AFTER.toNanos());
    }

    /** Runs the job's phase here and records its end, as a span of {@code trace} (null: a trace of its own). */
    <R> void run(RunningJob<R> job, io.opentelemetry.context.Context trace) {
        try (JobTracing.Run span = tracing.startRun(job.kind.name(), job.id, job.attempt, trace)) {
            LOG.debugf("%s %s: attempt %d runs here", job.kind.name(), job.id, job.attempt);
            run(job);
            if (job.outcome != null) {
                span.ended(job.outcome);
            }
            if (job.failure != null) {
                span.failed(job.failure);
            }
        }
    }

    /** Runs the job's phase here and records its end. */
    <R> void run(RunningJob<R> job) {
        JobKind<R> kind = job.kind;
        running.put(job.id, job);
        if (stopping) {
            job.handBack(); // claimed while this worker began to stop, after the running jobs were told
        }
        watch.watchSoon(this);
        try {
            job.checkCancelled(); // nothing new starts on a stopping worker
            kind.run(job.phase, job);
            job.checkCancelled();
            UUID result = job.completeResult();
            StateUpdate succeeded = StateUpdate.none()
                    .and("progressDone", job.lastDone)
                    .and("progressTotal", job.lastTotal);
            if (result != null) {
                succeeded.and("resultFileId", result);
            }
            String end = job.endBy != null ? job.endBy : job.phase.succeed();
            job.outcome = end;
            if (finish(job, end, succeeded) && result != null && job.earlierResult != null
                    && !job.earlierResult.equals(result)) {
                store.delete(job.earlierResult); // replaced by this phase's
            }
        } catch (JobCancelledException e) {
            job.abort();
            job.outcome = job.handingBack ? "handed back" : "cancelled";
            if (job.handingBack) {
                handBack(job);
            } else {
                LOG.infof("%s %s stopped: cancelled or lease lost", kind.name(), job.id);
            }
        } catch (Throwable e) {
            job.abort();
            job.outcome = job.handingBack ? "handed back" : job.isCancelled() ? "cancelled" : "failed";
            if (job.handingBack) {
                handBack(job);
            } else if (job.isCancelled()) {
                LOG.infof("%s %s stopped after cancel: %s", kind.name(), job.id, e.toString());
            } else {
                LOG.infof("%s %s failed: %s", kind.name(), job.id, e.toString());
                job.failure = e;
                finish(job, job.phase.fail(), StateUpdate.none()
                        .and("errorMessage", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        .and("errorType", e.getClass().getName())
                        .and("errorTrace", stackTrace(e)));
            }
        } finally {
            job.stopListening();
            running.remove(job.id);
            meters.timer("offload.jobs.run.duration", "kind", kind.name())
                    .record(Duration.between(job.startedAt, Timestamps.now()));
        }
    }

    /**
     * Ends the phase by {@code transition}: into a final state (finished now), or into the waiting state of
     * the kind's next phase (queued now, its wake-up published at once). True when the end was recorded.
     */
    private boolean finish(RunningJob<?> job, String transition, StateUpdate update) {
        job.end();
        JobKind<?> kind = job.kind;
        String target = kind.workflow().transition(transition).orElseThrow().to();
        OffsetDateTime now = Timestamps.now();
        update.and("leaseOwner", null).and("leaseExpiresAt", null)
                .when("attempt", job.attempt).when("leaseOwner", identity.id());
        boolean queued = kind.phaseWaitingIn(target).isPresent();
        if (kind.workflow().isFinal(target)) {
            update.and("finishedAt", now);
        } else if (queued) {
            update.and("queuedAt", now);
        }
        try {
            String state = finishers.computeIfAbsent(kind.name(), k -> batchers.<WorkflowService.Change, String>create(
                            "finish", k, changes -> workflows.applyAll(kind.workflow(), changes)))
                    .add(new WorkflowService.Change(job.id, job.phase.running(), transition, identity.id(),
                            Map.of("attempt", job.attempt), update, Map.of(), now))
                    .await().atMost(STATEMENT_TIMEOUT);
            if (state != null) {
                meters.counter("offload.jobs.finished", "kind", kind.name(), "state", state).increment();
                if (queued) {
                    publisher.publishLater(kind.name(), job.id, now); // the next phase starts now, not at the relay's pass
                }
                return true;
            }
            LOG.infof("%s %s: result of attempt %d discarded, the job moved on", kind.name(), job.id, job.attempt);
        } catch (Throwable e) {
            LOG.errorf(e, "%s %s: cannot record the end of attempt %d; the reaper will retry it", kind.name(), job.id,
                    job.attempt);
        }
        job.abort();
        return false;
    }

    /**
     * Queues the job again (its retry transition; the trigger writes its {@code job_unconfirmed} row) and
     * publishes its wake-up at once, waiting for the broker's confirm: another worker takes it now, not
     * when the relay finds the row. Without a confirm the relay sends it later.
     */
    void handBack(RunningJob<?> job) {
        job.end();
        JobKind<?> kind = job.kind;
        OffsetDateTime queuedAt = Timestamps.now();
        StateUpdate update = StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null)
                .and("queuedAt", queuedAt)
                .when("attempt", job.attempt).when("leaseOwner", identity.id());
        try {
            workflows.apply(kind.workflow(), new WorkflowService.Change(job.id, job.phase.running(), job.phase.retry(),
                            identity.id(), Map.of("attempt", job.attempt, "reason", JobRunner.HANDED_BACK), update,
                            Map.of(), queuedAt))
                    .await().atMost(STATEMENT_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("%s %s could not be handed back (%s); the reaper will retry it", kind.name(), job.id,
                    e.getMessage());
            return;
        }
        try {
            publisher.publish(kind.name(), job.id, queuedAt).await().atMost(HAND_BACK_CONFIRM);
            LOG.infof("%s %s handed back for another worker (attempt %d)", kind.name(), job.id, job.attempt);
        } catch (RuntimeException e) {
            LOG.warnf("%s %s handed back (attempt %d), its wake-up not confirmed (%s); the relay will send it",
                    kind.name(), job.id, job.attempt, e.getMessage());
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
