package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.TransitionLog;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    private final Pool pool;
    private final Batchers batchers;
    private final Map<String, Batcher<NewJob, Job>> submitters = new ConcurrentHashMap<>();
    private final Map<String, Counter> submittedCounters = new ConcurrentHashMap<>();
    private static final int CANCEL_RETRIES = 3;
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");

    public JobService(JobKinds kinds, WorkflowService workflows, JobPublisher publisher, OffloadConfig config,
            MeterRegistry meters, EngineDb db, Batchers batchers) {
        this.batchers = batchers;
        this.pool = db.pool();
        this.kinds = kinds;
        this.workflows = workflows;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Creates the job row, the kind's own row ({@code kindRow}: column → value, in the kind's
     * {@link JobKind#table()}, keyed by job_id) and the first log entry in one statement, shared with the
     * other submissions of the moment (group commit); after commit, publishes the wake-up with confirms.
     * A failed publish leaves the job to the relay.
     */
    public Uni<Job> submit(JobKind kind, Caller caller, Map<String, Object> kindRow) {
        OffsetDateTime now = now();
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.kind = kind.name();
        job.owner = caller.name();
        job.state = kind.workflow().initial();
        job.maxAttempts = config.reaper().maxAttempts();
        job.createdAt = now;
        job.queuedAt = now;
        return submitters.computeIfAbsent(kind.name(), k -> batchers.create("submit", k, batch -> insert(kind, batch)))
                .add(new NewJob(job, kindRow));
    }

    private record NewJob(Job job, Map<String, Object> kindRow) {
    }

    /** One statement: the jobs, their kind rows and their first log rows; then the wake-ups. */
    private Uni<List<Job>> insert(JobKind kind, List<NewJob> batch) {
        JsonArray input = new JsonArray();
        Set<String> columns = new TreeSet<>();
        for (NewJob n : batch) {
            JsonObject row = new JsonObject();
            n.kindRow().forEach((column, value) -> {
                if (!COLUMN.matcher(column).matches() || column.equals("job_id")) {
                    throw new IllegalArgumentException("not a column of " + kind.table() + ": " + column);
                }
                columns.add(column);
                row.put(column, WorkflowService.json(value));
            });
            input.add(new JsonObject().put("id", n.job().id.toString()).put("actor", n.job().owner)
                    .put("at", n.job().createdAt.toString()).put("row", row));
        }
        String kindColumns = columns.stream().map(c -> ", " + c).collect(Collectors.joining());
        String sql = "WITH input AS (SELECT (e->>'id')::uuid AS id, e->>'actor' AS actor, (e->>'at')::timestamptz AS at,"
                + " e->'row' AS row FROM jsonb_array_elements($1::jsonb) e),"
                + " jobs AS (INSERT INTO " + Job.TABLE + " (id, kind, owner, state, attempt, max_attempts,"
                + " progress_done, created_at, queued_at) SELECT id, $2, actor, $3, 0, $4, 0, at, at FROM input RETURNING id),"
                + " unconfirmed AS (INSERT INTO job_unconfirmed (job_id, queued_at) SELECT id, at FROM input),"
                + " kind_rows AS (INSERT INTO " + kind.table() + " (job_id" + kindColumns + ") SELECT input.id"
                + columns.stream().map(c -> ", r." + c).collect(Collectors.joining())
                + " FROM input, jsonb_populate_record(NULL::" + kind.table() + ", input.row) r),"
                + " created AS (" + WorkflowService.logCreatedSql(kind.workflow(), "input") + ")"
                + " SELECT count(*) FROM jobs";
        return pool.preparedQuery(sql)
                .execute(Tuple.of(input, kind.name(), kind.workflow().initial(), config.reaper().maxAttempts()))
                .map(rows -> {
                    submitted(kind).increment(batch.size());
                    List<Job> jobs = new ArrayList<>(batch.size());
                    for (NewJob n : batch) {
                        publisher.publishLater(kind.name(), n.job().id, n.job().queuedAt);
                        jobs.add(n.job());
                    }
                    return jobs;
                });
    }

    private Counter submitted(JobKind kind) {
        return submittedCounters.computeIfAbsent(kind.name(),
                k -> meters.counter("offload.jobs.submitted", "kind", k));
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

    /**
     * Applies the kind's cancel transition; a running worker notices and stops. A cancel that lost a race
     * to another change after which cancel is still available (a worker's claim or hand-back committed
     * between its read and its write) is tried again.
     */
    public Uni<Job> cancel(UUID id, Caller caller) {
        return Uni.createFrom().deferred(() -> cancelOnce(id, caller)) // a fresh session and transaction each try
                .onFailure(e -> e instanceof IllegalTransitionException lost
                        && lost.available().contains(lost.transition()))
                .retry().atMost(CANCEL_RETRIES);
    }

    private Uni<Job> cancelOnce(UUID id, Caller caller) {
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

    /** Now, to the microsecond: what a timestamptz column keeps, so a time written reads back equal. */
    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
