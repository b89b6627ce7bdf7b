package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.job.JobKind.Phase;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
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

    private final JobKinds kinds;
    private final WorkflowService workflows;
    private final JobPublisher publisher;
    private final OffloadConfig config;
    private final MeterRegistry meters;

    public JobReaper(JobKinds kinds, WorkflowService workflows, JobPublisher publisher, OffloadConfig config,
            MeterRegistry meters) {
        this.kinds = kinds;
        this.workflows = workflows;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
    }

    @Scheduled(every = "${offload.reaper.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> reap() {
        return Panache.withSession(() -> Job.<Job>find("leaseExpiresAt < ?1 order by leaseExpiresAt", JobService.now())
                        .range(0, config.reaper().batch() - 1).list())
                .chain(expired -> Multi.createFrom().iterable(expired)
                        .onItem().transformToUniAndConcatenate(this::reap)
                        .collect().asList())
                // A pass that hangs (a stuck connection) must not block every later pass.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.warnf("reaper pass failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> reap(Job job) {
        JobKind kind = kinds.find(job.kind).orElse(null);
        Phase phase = kind == null ? null : kind.phaseRunningIn(job.state).orElse(null);
        if (phase == null) {
            return Uni.createFrom().voidItem();
        }
        boolean retry = job.attempt < job.maxAttempts;
        OffsetDateTime now = JobService.now();
        StateUpdate update = StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null)
                .when("attempt", job.attempt).when("leaseExpiresAt", job.leaseExpiresAt);
        if (retry) {
            update.and("queuedAt", now);
        } else {
            update.and("finishedAt", now).and("errorMessage", WORKER_LOST).and("errorType", "WorkerLost");
        }
        Map<String, Object> extra = Map.of("attempt", job.attempt, "lease_owner", String.valueOf(job.leaseOwner),
                "reason", WORKER_LOST);
        return Panache.withTransaction(() -> workflows.apply(kind.workflow(), job.id, job.state,
                        retry ? phase.retry() : phase.fail(), "reaper", extra, update))
                .invoke(state -> {
                    LOG.infof("%s %s: lease of %s expired in attempt %d/%d -> %s", kind.name(), job.id, job.leaseOwner,
                            job.attempt, job.maxAttempts, state);
                    if (retry) {
                        publisher.publishLater(kind.name(), job.id, now);
                    } else {
                        meters.counter("offload.jobs.finished", "kind", kind.name(), "state", state).increment();
                    }
                })
                .onFailure(IllegalTransitionException.class).recoverWithNull()
                .replaceWithVoid();
    }
}
