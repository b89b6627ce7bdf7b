package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import dev.offload.storage.FileStore;
import dev.offload.storage.StoredFile;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.TransitionLog;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Jobs of every kind as clients reach them: submit, find, list, apply a client transition, read the log
 * and the result. Another user's job is never found (404), whether it exists or not; admins find all.
 */
@ApplicationScoped
public class JobService {

    /** Longest a periodic pass (reaper, relay) may take before it is abandoned and retried next period. */
    static final java.time.Duration PASS_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final JobKinds kinds;
    private final WorkflowService workflows;
    private final JobPublisher publisher;
    private final OffloadConfig config;
    private final MeterRegistry meters;
    private final FileStore store;
    private final Pool pool;
    private final Batchers batchers;
    private final Map<String, Batcher<NewJob, Job>> submitters = new ConcurrentHashMap<>();
    private final Map<String, Counter> submittedCounters = new ConcurrentHashMap<>();
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    public JobService(JobKinds kinds, WorkflowService workflows, JobPublisher publisher, OffloadConfig config,
            MeterRegistry meters, FileStore store, EngineDb db, Batchers batchers) {
        this.batchers = batchers;
        this.store = store;
        this.pool = db.pool();
        this.kinds = kinds;
        this.workflows = workflows;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Creates the job row, the kind's row and the first log entry (with the request's attributes) in one
     * statement, shared with the other submissions of the moment (group commit); after commit, publishes the
     * wake-up with confirms. A failed publish leaves the job to the relay.
     */
    public <R> Uni<JobView<R>> submit(JobKind<R> kind, Caller caller, R row, Map<String, Object> attributes) {
        if (kind.adminOnly() && !caller.admin()) {
            return Uni.createFrom().failure(new ForbiddenException("only admins may submit " + kind.name() + " jobs"));
        }
        OffsetDateTime now = Timestamps.now();
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.kind = kind.name();
        job.owner = caller.name();
        job.state = kind.workflow().initial();
        job.maxAttempts = config.reaper().maxAttempts();
        job.createdAt = now;
        job.queuedAt = now;
        return submitters.computeIfAbsent(kind.name(), k -> batchers.create("submit", k, batch -> insert(kind, batch)))
                .add(new NewJob(job, JobRows.columns(row), WorkflowService.keptAttributes(kind.workflow(), attributes),
                        JobTracing.current()))
                .map(created -> new JobView<>(created, row));
    }

    /** A job to insert; {@code trace}: the submitting request's context, which its wake-up carries to the worker. */
    private record NewJob(Job job, Map<String, Object> kindRow, Object attributes, io.opentelemetry.context.Context trace) {
    }

    /** One statement: the jobs, their kind rows and their first log rows; then the wake-ups. */
    private Uni<List<Job>> insert(JobKind<?> kind, List<NewJob> batch) {
        JsonArray input = new JsonArray();
        Set<String> columns = new TreeSet<>();
        for (NewJob n : batch) {
            JsonObject row = new JsonObject();
            n.kindRow().forEach((column, value) -> {
                String name = KindSql.column(column);
                if (!name.equals("job_id")) {
                    columns.add(name);
                    row.put(name, WorkflowService.json(value));
                }
            });
            input.add(new JsonObject().put("id", n.job().id.toString()).put("actor", n.job().owner)
                    .put("at", n.job().createdAt.toString()).put("row", row).put("attributes", n.attributes()));
        }
        String kindColumns = columns.stream().map(c -> ", " + c).collect(Collectors.joining());
        String sql = "WITH input AS (SELECT (e->>'id')::uuid AS id, e->>'actor' AS actor, (e->>'at')::timestamptz AS at,"
                + " e->'row' AS row, NULLIF(e->'attributes', 'null') AS attributes FROM jsonb_array_elements($1::jsonb) e),"
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
                        publisher.publishLater(kind.name(), n.job().id, n.job().queuedAt, n.trace());
                        jobs.add(n.job());
                    }
                    return jobs;
                });
    }

    private Counter submitted(JobKind<?> kind) {
        return submittedCounters.computeIfAbsent(kind.name(),
                k -> meters.counter("offload.jobs.submitted", "kind", k));
    }

    /** The job with its kind's row, if the caller may see it; otherwise 404, whether it exists or not. */
    public Uni<JobView<?>> find(UUID id, Caller caller) {
        return find(pool, id, caller, false);
    }

    /** As {@link #find(UUID, Caller)}, for a job of {@code kind} only (another kind's job is not found). */
    @SuppressWarnings("unchecked")
    public <R> Uni<JobView<R>> find(JobKind<R> kind, UUID id, Caller caller) {
        return find(id, caller).map(view -> {
            if (!view.job().kind.equals(kind.name())) {
                throw new NotFoundException("no " + kind.name() + " " + id);
            }
            return (JobView<R>) view;
        });
    }

    private Uni<JobView<?>> find(SqlClient client, UUID id, Caller caller, boolean lock) {
        return client.preparedQuery("SELECT to_jsonb(j) AS job FROM " + Job.TABLE + " j WHERE id = $1"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .chain(rows -> {
                    Job job = rows.size() == 0 ? null : JobRows.job(rows.iterator().next().getJsonObject("job"));
                    if (job == null || !caller.mayAccess(job)) {
                        throw new NotFoundException("no job " + id);
                    }
                    JobKind<?> kind = kinds.find(job.kind).orElseThrow(() -> new NotFoundException("no job " + id));
                    return kindRows(client, kind, List.of(id)).map(found -> view(kind, job, found.get(id)));
                });
    }

    private static <R> JobView<R> view(JobKind<R> kind, Job job, JsonObject row) {
        return new JobView<>(job, row == null ? null : JobRows.read(row, kind.rowType()));
    }

    /** The kind rows of these jobs, by job id. */
    private Uni<Map<UUID, JsonObject>> kindRows(SqlClient client, JobKind<?> kind, List<UUID> ids) {
        return client.preparedQuery("SELECT job_id, to_jsonb(k) AS row FROM " + kind.table() + " k WHERE job_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, JsonObject> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getUUID("job_id"), row.getJsonObject("row")));
                    return found;
                });
    }

    /**
     * What a listing keeps: a kind and a state, each if given, and for a kind a condition on its row (SQL on the
     * alias {@code k}, written by the kind's code, never from input: {@code k.deleted_at IS NULL}).
     */
    public record Filter(String kind, String state, String rowCondition) {

        public Filter(String kind, String state) {
            this(kind, state, null);
        }
    }

    /** One page of the caller's jobs (every job for admins), newest first, each with its kind's row. */
    public Uni<Page<JobView<?>>> list(Caller caller, Filter filter, PageRequest page) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (!caller.admin()) {
            args.add(caller.name());
            where.add("j.owner = $" + args.size());
        }
        if (filter.kind() != null) {
            args.add(filter.kind());
            where.add("j.kind = $" + args.size());
        }
        if (filter.state() != null) {
            args.add(filter.state());
            where.add("j.state = $" + args.size());
        }
        String join = "";
        if (filter.rowCondition() != null) {
            JobKind<?> kind = kinds.get(filter.kind());
            join = " JOIN " + kind.table() + " k ON k.job_id = j.id";
            where.add("(" + filter.rowCondition() + ")");
        }
        args.add((long) page.size() + 1);
        args.add(page.offset());
        String from = join;
        String sql = statements.computeIfAbsent(from + "|" + String.join("|", where), k -> "SELECT to_jsonb(j) AS job FROM "
                + Job.TABLE + " j" + from + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY j.created_at DESC, j.id DESC LIMIT $" + (args.size() - 1) + " OFFSET $" + args.size());
        return pool.preparedQuery(sql).execute(Tuple.from(args)).chain(rows -> {
            List<Job> jobs = new ArrayList<>();
            rows.forEach(row -> jobs.add(JobRows.job(row.getJsonObject("job"))));
            boolean more = jobs.size() > page.size();
            List<Job> shown = more ? jobs.subList(0, page.size()) : jobs;
            Map<String, List<UUID>> byKind = new LinkedHashMap<>();
            shown.forEach(job -> byKind.computeIfAbsent(job.kind, k -> new ArrayList<>()).add(job.id));
            return Multi.createFrom().iterable(byKind.entrySet())
                    .onItem().transformToUniAndConcatenate(e -> kinds.find(e.getKey())
                            .map(kind -> kindRows(pool, kind, e.getValue()))
                            .orElse(Uni.createFrom().item(Map.of())))
                    .collect().asList()
                    .map(maps -> {
                        Map<UUID, JsonObject> found = new HashMap<>();
                        maps.forEach(found::putAll);
                        List<JobView<?>> views = new ArrayList<>();
                        for (Job job : shown) {
                            kinds.find(job.kind).ifPresent(kind -> views.add(view(kind, job, found.get(job.id))));
                        }
                        return new Page<>(views, page.page(), page.size(), more);
                    });
        });
    }

    /** As {@link #list(Caller, Filter, PageRequest)}, for jobs of {@code kind}. */
    public <R> Uni<Page<JobView<R>>> list(JobKind<R> kind, Caller caller, String state, PageRequest page) {
        return list(kind, caller, state, null, page);
    }

    /** As {@link #list(JobKind, Caller, String, PageRequest)}, keeping the jobs whose row meets {@code rowCondition}. */
    @SuppressWarnings("unchecked")
    public <R> Uni<Page<JobView<R>>> list(JobKind<R> kind, Caller caller, String state, String rowCondition,
            PageRequest page) {
        return list(caller, new Filter(kind.name(), state, rowCondition), page)
                .map(found -> found.map(view -> (JobView<R>) view));
    }

    /** Writes the kind's row of a job the caller may act on (outside a run: a kind's own change, a mark). */
    public <R> Uni<Void> saveRow(JobKind<R> kind, UUID id, R row) {
        return pool.preparedQuery(KindSql.saveRow(kind)).execute(Tuple.of(new JsonObject(JobRows.columns(row)), id))
                .replaceWithVoid();
    }

    /**
     * Applies a transition a client may apply ({@link JobKind#clientTransitions()}), checked by the workflow
     * against the job as it is once its row is locked: 409 (with the transitions the client may apply) when
     * the state or a check forbids it. Leaving a running state ends the lease (the worker notices and stops);
     * a final state is stamped finished, and loses its result unless it keeps one ({@link JobKind#keepsResultIn});
     * a phase's waiting state is queued and woken at once. The log row keeps the request's attributes.
     */
    public Uni<JobView<?>> transition(UUID id, String transition, Caller caller, Map<String, Object> attributes) {
        OffsetDateTime now = Timestamps.now();
        UUID[] dropped = new UUID[1];
        boolean[] queued = new boolean[1];
        return pool.withTransaction(tx -> find(tx, id, caller, true).chain(view -> {
                    Job job = view.job();
                    JobKind<?> kind = kinds.get(job.kind);
                    List<String> offered = clientAvailable(kind, view);
                    if (!kind.clientTransitions().contains(transition)) {
                        throw new IllegalTransitionException(kind.name(), transition, job.state, offered);
                    }
                    String target;
                    try {
                        target = kind.workflow().target(job.state, transition, view);
                    } catch (IllegalTransitionException e) {
                        throw e.withAvailable(offered);
                    }
                    StateUpdate update = StateUpdate.none();
                    if (kind.phaseRunningIn(job.state).isPresent()) {
                        update.and("leaseOwner", null).and("leaseExpiresAt", null);
                    }
                    if (kind.workflow().isFinal(target)) {
                        update.and("finishedAt", now);
                        if (job.resultFileId != null && !kind.keepsResultIn(target)) {
                            update.and("resultFileId", null);
                            dropped[0] = job.resultFileId;
                        }
                    } else if (kind.phaseWaitingIn(target).isPresent()) {
                        update.and("queuedAt", now);
                        queued[0] = true;
                    }
                    return workflows.apply(tx, kind.workflow(), new WorkflowService.Change(id, job.state, transition,
                            caller.name(), Map.of(), update, attributes, now));
                }))
                .call(() -> {
                    if (queued[0]) {
                        return find(id, caller).invoke(view -> publisher.publishLater(view.job().kind, id, now));
                    }
                    return Uni.createFrom().voidItem();
                })
                .invoke(() -> {
                    if (dropped[0] != null) {
                        UUID file = dropped[0];
                        Infrastructure.getDefaultWorkerPool().execute(() -> store.delete(file));
                    }
                })
                .chain(() -> find(id, caller));
    }

    /** The transitions a client may apply to the job now: available from its state, allowed by their checks. */
    public List<String> clientAvailable(JobKind<?> kind, JobView<?> view) {
        return kind.workflow().available(view.job().state, view).stream()
                .filter(kind.clientTransitions()::contains).toList();
    }

    /** The job as the caller sees it, with the transitions it may apply now and the last one applied. */
    public Uni<JobResponse> response(JobView<?> view, Caller caller) {
        return lastTransitions(List.of(view.job().id)).map(last -> JobResponse.of(view.job(), caller,
                clientAvailable(kinds.get(view.job().kind), view), last.get(view.job().id)));
    }

    /**
     * A job just submitted, as the caller sees it: as {@link #response}, without reading its log (its only
     * row is its creation), so a submission costs no query beyond its own statement.
     */
    public JobResponse submitted(JobView<?> view, Caller caller) {
        Job job = view.job();
        TransitionLog created = new TransitionLog(0, job.id, "create", null, job.state, job.createdAt, job.owner,
                null, null);
        return JobResponse.of(job, caller, clientAvailable(kinds.get(job.kind), view), created);
    }

    /** A page of jobs as the caller sees them, each as {@link #response}. */
    public Uni<Page<JobResponse>> responses(Page<? extends JobView<?>> found, Caller caller) {
        return lastTransitions(found.items().stream().map(v -> v.job().id).toList())
                .map(last -> found.map(view -> JobResponse.of(view.job(), caller,
                        clientAvailable(kinds.get(view.job().kind), view), last.get(view.job().id))));
    }

    /** The job's log, oldest first. */
    public Uni<List<TransitionLog>> transitions(UUID id, Caller caller) {
        return find(id, caller).chain(view -> workflows.history(id));
    }

    /** The newest log row of each of these jobs. */
    public Uni<Map<UUID, TransitionLog>> lastTransitions(List<UUID> ids) {
        return workflows.last(ids);
    }

    /** A job's result, ready to stream. */
    public record Result(JobView<?> job, StoredFile file) {
    }

    /** The job's result, for its owner or an admin: 409 while it has none, 410 once it expired or was removed. */
    public Uni<Result> result(UUID id, Caller caller) {
        return find(id, caller).chain(view -> result(view));
    }

    /** The result of a job already found. */
    public Uni<Result> result(JobView<?> view) {
        Job job = view.job();
        JobKind<?> kind = kinds.get(job.kind);
        if (job.resultFileId == null) {
            boolean gone = kind.keepsResultIn(job.state);
            return Uni.createFrom().failure(new ResultUnavailableException(job.id, job.state, gone));
        }
        return store.find(job.resultFileId).map(file -> {
            if (file == null) {
                throw new ResultUnavailableException(job.id, job.state, true);
            }
            return new Result(view, file);
        });
    }

}
