package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.TransitionLog;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Submitting, reading and cancelling jobs of any kind. */
@ApplicationScoped
public class JobService {

    /** Longest a periodic pass (reaper, relay) may take before it is abandoned and retried next period. */
    static final java.time.Duration PASS_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final JobKinds kinds;
    private final WorkflowService workflows;
    private final JobPublisher publisher;
    private final OffloadConfig config;
    private final MeterRegistry meters;

    public JobService(JobKinds kinds, WorkflowService workflows, JobPublisher publisher, OffloadConfig config,
            MeterRegistry meters) {
        this.kinds = kinds;
        this.workflows = workflows;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Creates the job row, the kind's own row (written by {@code kindRow}) and the first log entry in one
     * transaction; after commit, publishes the wake-up with confirms. A failed publish leaves the job to the relay.
     */
    public Uni<Job> submit(JobKind kind, Caller caller, Function<UUID, Uni<?>> kindRow) {
        OffsetDateTime now = now();
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.kind = kind.name();
        job.owner = caller.name();
        job.state = kind.workflow().initial();
        job.maxAttempts = config.reaper().maxAttempts();
        job.createdAt = now;
        job.queuedAt = now;
        return Panache.withTransaction(() -> job.persist()
                        .chain(() -> kindRow.apply(job.id))
                        .chain(() -> workflows.logCreated(kind.workflow(), job.id, caller.name(), Map.of())))
                .invoke(() -> {
                    meters.counter("offload.jobs.submitted", "kind", kind.name()).increment();
                    publisher.publishLater(kind.name(), job.id);
                })
                .replaceWith(job);
    }

    /** The job, if the caller may see it; otherwise 404, whether it exists or not. */
    public Uni<Job> find(UUID id, Caller caller) {
        return Panache.withSession(() -> Job.<Job>findById(id))
                .map(job -> {
                    if (job == null || !caller.mayAccess(job)) {
                        throw new NotFoundException("no job " + id);
                    }
                    return job;
                });
    }

    /** One page of the caller's jobs (every job for admins), newest first; {@code size + 1} rows tell if more follow. */
    public Uni<List<Job>> list(Caller caller, String kind, String state, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (!caller.admin()) {
            where.add("owner = :owner");
            params.and("owner", caller.name());
        }
        if (kind != null) {
            where.add("kind = :kind");
            params.and("kind", kind);
        }
        if (state != null) {
            where.add("state = :state");
            params.and("state", state);
        }
        Sort newestFirst = Sort.descending("createdAt", "id");
        return Panache.withSession(() -> (where.isEmpty()
                ? Job.<Job>findAll(newestFirst)
                : Job.<Job>find(String.join(" and ", where), newestFirst, params))
                .range(page * size, page * size + size).list());
    }

    /** Applies the kind's cancel transition; a running worker notices and stops. */
    public Uni<Job> cancel(UUID id, Caller caller) {
        return Panache.withTransaction(() -> find(id, caller).chain(job -> {
            JobKind kind = kinds.get(job.kind);
            String transition = kind.cancelTransition().orElseThrow(() ->
                    new IllegalTransitionException(kind.name(), "cancel", job.state, kind.workflow().available(job.state)));
            return workflows.apply(kind.workflow(), job.id, job.state, transition, caller.name(), Map.of(),
                            StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null).and("finishedAt", now()))
                    .chain(() -> Panache.getSession().invoke(s -> s.detach(job)))
                    .chain(() -> Job.<Job>findById(id));
        }));
    }

    public Uni<List<TransitionLog>> transitions(UUID id, Caller caller) {
        return find(id, caller).chain(job -> Panache.withSession(() -> workflows.history(id)));
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
