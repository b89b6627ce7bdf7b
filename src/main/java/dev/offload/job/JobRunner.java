package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.job.JobKind.Phase;
import dev.offload.workflow.IllegalTransitionException;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs jobs delivered by the kinds' consumers: claim (compare-and-set plus lease) in one transaction,
 * work outside any transaction on the kind's bounded pool, finish with compare-and-set on
 * (state, attempt, lease owner) in another. The message is acknowledged once the claim is decided,
 * so a job may run longer than the broker's consumer timeout; the lease, not the delivery, guards it.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final Duration CLAIM_BACKOFF = Duration.ofMillis(200);
    private static final int CLAIM_RETRIES = 5;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopping worker waits for the broker to confirm a handed-back job's wake-up. */
    private static final Duration HAND_BACK_CONFIRM = Duration.ofSeconds(5);
    /** This observer's priority among the shutdown observers: before those of default priority. */
    static final int STOP_FIRST = 10;
    /** How long a stopping worker waits for its jobs to stop and be handed back. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** How long a job runs before this process listens for its cancel and announces its start. */
    private static final Duration ANNOUNCE_AFTER = Duration.ofMillis(100);
    private static final Duration WATCH_EVERY = Duration.ofMillis(50);
    /** How long the watcher waits for this process to listen, and for its statement. */
    private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(5);
    /** When a job could not be watched, how long before the watcher tries it again. */
    private static final Duration WATCH_RETRY = Duration.ofSeconds(1);
    /**
     * Whether this worker still holds the job (no row: it lost it) and, if $2, its start announced from the
     * row as the trigger would have (V6; $7 the state it left). The row stays locked until the statement
     * commits, so a cancel or reaping waits for the announcement, and the events keep their order.
     */
    private static final String ANNOUNCE_SQL = "WITH held AS MATERIALIZED (SELECT id, kind, state, attempt,"
            + " progress_done, progress_total FROM job WHERE id = $3 AND attempt = $4 AND lease_owner = $5"
            + " AND state = $6 FOR SHARE)"
            + " SELECT CASE WHEN $2 THEN pg_notify($1, concat_ws(' ', id, kind, state, attempt, progress_done,"
            + " coalesce(progress_total::text, '-'), $7::text)) END FROM held";
    /** Why a job went back to its queue when its worker stopped. */
    public static final String HANDED_BACK = "worker stopping";

    private final JobKinds kinds;
    private final WorkflowService workflows;
    private final WorkerIdentity identity;
    private final JobEvents events;
    private final OffloadConfig config;
    private final MeterRegistry meters;
    private final Pool pool;
    private final Batchers batchers;
    private final JobPublisher publisher;
    private final Map<String, Slots> slots = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> pools = new ConcurrentHashMap<>();
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Void>> lateHandBacks = ConcurrentHashMap.newKeySet();
    private final Map<String, Batcher<UUID, RunningJob>> claimers = new ConcurrentHashMap<>();
    private final Map<String, Batcher<WorkflowService.Change, String>> finishers = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile ScheduledExecutorService watcher;

    public JobRunner(JobKinds kinds, WorkflowService workflows, WorkerIdentity identity, JobEvents events,
            OffloadConfig config, MeterRegistry meters, EngineDb db, Batchers batchers, JobPublisher publisher) {
        this.batchers = batchers;
        this.publisher = publisher;
        this.pool = db.pool();
        this.kinds = kinds;
        this.workflows = workflows;
        this.identity = identity;
        this.events = events;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Takes one wake-up message: waits for a free slot of the kind (without holding a thread), claims the
     * job and hands it to the kind's pool. The message is acknowledged once the claim is decided, so a
     * job may run longer than the broker's consumer timeout; a message for a job that is gone, finished
     * or claimed by someone else is simply dropped (acknowledged), one whose claim failed is given
     * back to the broker (negatively acknowledged: requeued), and one that reaches a stopping worker is
     * held until its connection closes (see {@link #handle}).
     */
    public void take(Message<JsonObject> message) {
        handle(message.getPayload()).subscribe().with(ignored -> message.ack(), message::nack);
    }

    /**
     * As {@link #take}: completes once the claim is decided, fails when the message must go back to the
     * broker, and never completes for a message that reaches a stopping worker (held, see below).
     */
    Uni<Void> handle(JsonObject message) {
        JobKind kind = kinds.find(message.getString("kind")).orElse(null);
        UUID id = parseId(message.getString("id"));
        if (kind == null || id == null) {
            LOG.warnf("dropping a malformed job message: %s", message.encode());
            return Uni.createFrom().voidItem();
        }
        Slots slots = slots(kind.name());
        return slots.acquire().chain(() -> {
            if (stopping) {
                slots.release();
                // Held, neither acknowledged nor given back: a message given back now would come straight back
                // to this consumer, which stays subscribed until the process ends, and each round counts
                // against the queue's delivery limit (dead-lettered after ten). The broker returns a held
                // message to the queue, once, when this process's connection closes.
                LOG.debugf("this worker is stopping; %s %s goes back to the queue when it has stopped",
                        kind.name(), id);
                return Uni.createFrom().nothing();
            }
            return claim(kind, id).onItemOrFailure().invoke((job, failure) -> {
                if (failure != null || job == null) {
                    slots.release();
                    if (failure == null) {
                        meters.counter("offload.jobs.deliveries", "kind", kind.name(), "outcome", "dropped").increment();
                    }
                    return;
                }
                meters.counter("offload.jobs.deliveries", "kind", kind.name(), "outcome", "claimed").increment();
                try {
                    pool(kind.name()).execute(() -> {
                        try {
                            work(kind, job);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    slots.release();
                    // Claimed while this worker stops: give it straight back (a transaction: not on this
                    // thread), before the engine's connections and the publisher close (see #stop).
                    CompletableFuture<Void> handedBack = CompletableFuture.runAsync(() -> handBack(kind, job),
                            Infrastructure.getDefaultWorkerPool());
                    lateHandBacks.add(handedBack);
                    handedBack.whenComplete((done, error) -> lateHandBacks.remove(handedBack));
                }
            }).replaceWithVoid();
        });
    }

    /** Whether this process is running the job now. */
    public boolean isRunning(UUID id) {
        return running.containsKey(id);
    }

    /**
     * Claims the job: its phase's start transition applied with the lease and its row read back with the
     * kind's row, in one statement with the other claims of the moment (group commit, see {@link Batcher}).
     * Null when the job is gone, finished or someone else's; fails once the retries are used up.
     */
    private Uni<RunningJob> claim(JobKind kind, UUID id) {
        return claimers.computeIfAbsent(kind.name(),
                        k -> batchers.<UUID, RunningJob>create("claim", k, ids -> claimAll(kind, ids)))
                .add(id)
                .ifNoItem().after(STATEMENT_TIMEOUT).fail()
                // A database hiccup should not cost the delivery: retry a few times before giving the
                // message back to the broker (requeued; dead-lettered after the queue's delivery limit).
                .onFailure().retry().withBackOff(CLAIM_BACKOFF, CLAIM_BACKOFF.multipliedBy(16)).atMost(CLAIM_RETRIES)
                .onFailure().invoke(e -> LOG.warnf(e, "claim of %s %s failed; the message will be redelivered",
                        kind.name(), id));
    }

    /**
     * One statement for a batch of claims: each job still waiting for a phase moves to its running state
     * (compare-and-set on the waiting state, its log row with the new attempt) with the lease, and comes
     * back with the kind's row.
     */
    private Uni<List<RunningJob>> claimAll(JobKind kind, List<UUID> ids) {
        OffsetDateTime now = JobService.now();
        Map<String, String> startByWaiting = new HashMap<>();
        kind.phases().forEach(phase -> startByWaiting.put(phase.waiting(), phase.start()));
        StateUpdate lease = StateUpdate.set("leaseOwner", identity.id())
                .and("leaseExpiresAt", now.plus(config.lease().duration()))
                .and("startedAt", now)
                .increment("attempt")
                .and("progressDone", 0L)
                .and("progressTotal", null);
        return workflows.advanceAll(kind.workflow(), ids, startByWaiting, identity.id(), lease, List.of("attempt"),
                        List.of("owner", "attempt", "queuedAt"), new WorkflowService.Joined(kind.table(), "job_id"))
                .map(rows -> {
                    Map<UUID, RunningJob> claimed = new HashMap<>();
                    for (Row row : rows) {
                        Phase phase = kind.phaseWaitingIn(row.getString("from_state")).orElseThrow();
                        JsonObject kindRow = row.getJsonObject("joined");
                        RunningJob job = new RunningJob(row.getUUID("id"), kind.name(), row.getString("owner"),
                                row.getInteger("attempt"), phase, now, kindRow == null ? new JsonObject() : kindRow);
                        claimed.put(job.id, job);
                        meters.timer("offload.jobs.queue.wait", "kind", kind.name())
                                .record(Duration.between(row.getOffsetDateTime("queued_at"), now));
                    }
                    List<RunningJob> answers = new ArrayList<>(ids.size());
                    for (UUID id : ids) {
                        answers.add(claimed.remove(id)); // a duplicate message of the same batch gets null
                    }
                    return answers;
                });
    }

    private void work(JobKind kind, RunningJob job) {
        running.put(job.id, job);
        if (stopping) {
            job.handBack(); // claimed while this worker began to stop, after #stop told the running jobs
        }
        watchSoon();
        try {
            job.checkCancelled(); // nothing new starts on a stopping worker
            kind.run(job.phase, job);
            job.checkCancelled();
            StateUpdate succeeded = StateUpdate.none()
                    .and("progressDone", job.lastDone)
                    .and("progressTotal", job.lastTotal);
            if (job.resultFileId != null) {
                succeeded.and("resultFileId", job.resultFileId);
            }
            finish(kind, job, job.phase.succeed(), succeeded);
        } catch (JobCancelledException e) {
            job.abort();
            if (job.handingBack) {
                handBack(kind, job);
            } else {
                LOG.infof("%s %s stopped: cancelled or lease lost", kind.name(), job.id);
            }
        } catch (Throwable e) {
            job.abort();
            if (job.handingBack) {
                handBack(kind, job);
            } else if (job.isCancelled()) {
                LOG.infof("%s %s stopped after cancel: %s", kind.name(), job.id, e.toString());
            } else {
                LOG.infof("%s %s failed: %s", kind.name(), job.id, e.toString());
                finish(kind, job, job.phase.fail(), StateUpdate.none()
                        .and("errorMessage", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        .and("errorType", e.getClass().getName())
                        .and("errorTrace", stackTrace(e)));
            }
        } finally {
            job.stopListening();
            running.remove(job.id);
            meters.timer("offload.jobs.run.duration", "kind", kind.name())
                    .record(Duration.between(job.startedAt, JobService.now()));
        }
    }

    private void finish(JobKind kind, RunningJob job, String transition, StateUpdate update) {
        job.end();
        String target = kind.workflow().transition(transition).orElseThrow().to();
        update.and("leaseOwner", null).and("leaseExpiresAt", null)
                .when("attempt", job.attempt).when("leaseOwner", identity.id());
        if (kind.workflow().isFinal(target)) {
            update.and("finishedAt", JobService.now());
        } else {
            update.and("queuedAt", JobService.now()); // queued for the next phase; its wake-up comes from the relay
        }
        try {
            String state = finishers.computeIfAbsent(kind.name(), k -> batchers.<WorkflowService.Change, String>create(
                            "finish", k, changes -> workflows.applyAll(kind.workflow(), changes)))
                    .add(new WorkflowService.Change(job.id, job.phase.running(), transition, identity.id(),
                            Map.of("attempt", job.attempt), update))
                    .await().atMost(STATEMENT_TIMEOUT);
            if (state != null) {
                meters.counter("offload.jobs.finished", "kind", kind.name(), "state", state).increment();
            } else {
                LOG.infof("%s %s: result of attempt %d discarded, the job moved on", kind.name(), job.id, job.attempt);
                job.abort();
            }
        } catch (Throwable e) {
            LOG.errorf(e, "%s %s: cannot record the end of attempt %d; the reaper will retry it", kind.name(), job.id,
                    job.attempt);
            job.abort();
        }
    }

    /**
     * Queues the job again (its retry transition, the trigger writes its {@code job_unconfirmed} row) and
     * publishes its wake-up at once, waiting for the broker's confirm: another worker takes it now, not
     * when the relay finds the row. Without a confirm the relay sends it later.
     */
    private void handBack(JobKind kind, RunningJob job) {
        job.end();
        OffsetDateTime queuedAt = JobService.now();
        StateUpdate update = StateUpdate.set("leaseOwner", null).and("leaseExpiresAt", null)
                .and("queuedAt", queuedAt)
                .when("attempt", job.attempt).when("leaseOwner", identity.id());
        try {
            Db.inTransaction(() -> workflows.apply(kind.workflow(), job.id, job.phase.running(), job.phase.retry(),
                    identity.id(), Map.of("attempt", job.attempt, "reason", HANDED_BACK), update));
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

    /** Starts the watcher, which looks at the jobs running here every {@link #WATCH_EVERY}, at the first job. */
    private void watchSoon() {
        if (watcher == null) {
            synchronized (this) {
                if (watcher == null && !stopping) {
                    ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "offload-job-watcher");
                        t.setDaemon(true);
                        return t;
                    });
                    started.scheduleWithFixedDelay(this::watchLongRunning, WATCH_EVERY.toMillis(),
                            WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    watcher = started;
                }
            }
        }
    }

    /** Watches each job that has run for {@link #ANNOUNCE_AFTER}: see {@link #watch}. */
    private void watchLongRunning() {
        long now = System.nanoTime();
        for (RunningJob job : running.values()) {
            if (!job.watched && now - job.watchAt >= 0) {
                try {
                    watch(job);
                } catch (Throwable e) {
                    // Tried again in a second; meanwhile the lease renewal still tells it of a cancel.
                    LOG.warnf("cannot watch %s %s yet: %s", job.kind, job.id, e.toString());
                    job.unwatch(System.nanoTime() + WATCH_RETRY.toNanos());
                }
            }
        }
    }

    /**
     * A job running for a while is told of its cancel (or reaping) at once: this process listens for its
     * events and then checks that it still holds the job, announcing its start in the same statement
     * unless a progress write did already. A claim does not notify (see V6): most jobs end before anyone
     * could watch them start, and their end's event tells which state they left.
     */
    private void watch(RunningJob job) {
        synchronized (job) {
            if (job.ending || job.watched) {
                return;
            }
            job.watched = true;
            job.stopListening = events.listen(job.id, event -> {
                // Events of earlier attempts may still be on their way; a later attempt, or this attempt
                // leaving its running state (cancel, reaper), means this worker must stop.
                if (event.attempt() > job.attempt
                        || (event.attempt() == job.attempt && !job.phase.running().equals(event.state()))) {
                    job.cancel();
                }
            });
        }
        events.listening().await().atMost(WATCH_TIMEOUT);
        synchronized (job) { // a progress write or the job's end waits for this, so events stay in order
            if (job.ending) {
                return;
            }
            RowSet<Row> held = pool.preparedQuery(ANNOUNCE_SQL)
                    .execute(Tuple.from(List.of(JobEvents.PG_CHANNEL, !job.announced, job.id, job.attempt,
                            identity.id(), job.phase.running(), job.phase.waiting())))
                    .await().atMost(WATCH_TIMEOUT);
            job.announced = true;
            if (held.size() == 0) {
                job.cancel(); // cancelled or reaped before this process listened
            }
        }
    }

    /** Renews the leases of the jobs running here; a job whose lease is gone (cancelled, reaped) is told to stop. */
    @Scheduled(every = "${offload.lease.renew-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> renewLeases() {
        if (running.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime until = JobService.now().plus(config.lease().duration());
        return Multi.createFrom().iterable(running.values())
                .onItem().transformToUniAndConcatenate(job -> Panache.withTransaction(() -> Job.update(
                                "leaseExpiresAt = ?1 where id = ?2 and attempt = ?3 and leaseOwner = ?4",
                                until, job.id, job.attempt, identity.id()))
                        .invoke(rows -> {
                            if (rows == 0) {
                                job.cancel();
                            }
                        })
                        .onFailure().invoke(e -> LOG.warnf("cannot renew the lease of %s: %s", job.id, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /**
     * A stopping worker (rolling deploy, scale-down) stops its jobs and hands them back at once, so
     * another worker retries them without waiting for the lease to expire. It runs before the other
     * shutdown observers (default priority): the hand-backs and the finishes of jobs ending meanwhile still
     * need the engine's connections ({@link EngineDb}) and the publisher ({@link JobPublisher}).
     */
    void stop(@Observes @Priority(STOP_FIRST) ShutdownEvent event) {
        stopping = true;
        synchronized (this) {
            if (watcher != null) {
                watcher.shutdown(); // lets a watch in progress finish
            }
        }
        running.values().forEach(RunningJob::handBack);
        pools.values().forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            for (ExecutorService pool : pools.values()) {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            // Claims that were in flight when this began hand their jobs back on other threads.
            while (!lateHandBacks.isEmpty() && System.nanoTime() < deadline) {
                CompletableFuture.allOf(lateHandBacks.toArray(CompletableFuture[]::new))
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("not every job was handed back in %s; the reaper will retry the rest", STOP_WAIT);
        }
        publisher.recordConfirmed(); // the hand-backs' confirms, so no other process's relay sends them again
    }

    private int concurrency(String kind) {
        OffloadConfig.Kind settings = config.kinds().get(kind);
        return settings == null ? 4 : settings.concurrency();
    }

    private Slots slots(String kind) {
        return slots.computeIfAbsent(kind, k -> new Slots(concurrency(k)));
    }

    /** A kind's worker slots: a delivery waits for a free one without holding a thread. */
    static final class Slots {
        private final int size;
        private final java.util.ArrayDeque<UniEmitter<? super Void>> waiting = new java.util.ArrayDeque<>();
        private int used;

        Slots(int size) {
            this.size = size;
        }

        Uni<Void> acquire() {
            return Uni.createFrom().emitter(emitter -> {
                synchronized (this) {
                    if (used >= size) {
                        waiting.add(emitter);
                        return;
                    }
                    used++;
                }
                emitter.complete(null);
            });
        }

        /** Frees a slot: the longest-waiting delivery gets it. */
        void release() {
            UniEmitter<? super Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    used--;
                    return;
                }
            }
            next.complete(null);
        }
    }

    private ExecutorService pool(String kind) {
        if (stopping) {
            throw new RejectedExecutionException("this worker is stopping"); // not even a new kind's pool
        }
        return pools.computeIfAbsent(kind, k -> Executors.newFixedThreadPool(concurrency(k), new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "offload-" + k + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        }));
    }

    private static UUID parseId(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** A job running in this process: its context, as the kind's work sees it. */
    private final class RunningJob implements JobContext {
        final UUID id;
        final String owner;
        final int attempt;
        final Phase phase;
        final OffsetDateTime startedAt;
        final JsonObject kindRow;
        private volatile boolean cancelled;
        private final java.util.List<Runnable> cleanups = new java.util.concurrent.CopyOnWriteArrayList<>();
        private long lastWrite;
        final String kind;
        // Guarded by this: whether the job is watched (see #watch), its start announced, its end begun.
        // The watcher thread, their only writer but for the end, also reads watched and watchAt alone.
        boolean watched;
        /** When the watcher looks at it: {@link #ANNOUNCE_AFTER} into its run, or again after a failed watch. */
        long watchAt = System.nanoTime() + ANNOUNCE_AFTER.toNanos();
        boolean announced;
        boolean ending;
        Runnable stopListening;
        volatile long lastDone;
        volatile Long lastTotal;
        volatile UUID resultFileId;

        RunningJob(UUID id, String kind, String owner, int attempt, Phase phase, OffsetDateTime startedAt,
                JsonObject kindRow) {
            this.kind = kind;
            this.kindRow = kindRow;
            this.id = id;
            this.owner = owner;
            this.attempt = attempt;
            this.phase = phase;
            this.startedAt = startedAt;
        }

        @Override
        public UUID jobId() {
            return id;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public JsonObject kindRow() {
            return kindRow;
        }

        @Override
        public void progress(long done, long total) {
            lastDone = done;
            lastTotal = total;
            long now = System.nanoTime();
            if (now - lastWrite < config.progressInterval().toNanos()) {
                return;
            }
            lastWrite = now;
            synchronized (this) { // after an announcement in flight (see #watch), so events stay in order
                try {
                    Integer rows = Db.inTransaction(() -> Job.update(
                            "progressDone = ?1, progressTotal = ?2 where id = ?3 and attempt = ?4 and leaseOwner = ?5",
                            done, total, id, attempt, identity.id()));
                    if (rows == 0) {
                        cancel();
                    } else if (done != 0) {
                        announced = true; // its event shows the job running
                    }
                } catch (Throwable e) {
                    LOG.debugf("progress of %s not written: %s", id, e.getMessage());
                }
            }
        }

        /** A watch failed: stop listening for this job, and let the watcher try again at {@code againAt}. */
        synchronized void unwatch(long againAt) {
            dropListener();
            watchAt = againAt;
            watched = false;
        }

        /** The job's end is being written: nothing is announced for it any more. */
        synchronized void end() {
            ending = true;
        }

        synchronized void stopListening() {
            ending = true;
            dropListener();
        }

        private void dropListener() {
            if (stopListening != null) {
                stopListening.run();
                stopListening = null;
            }
        }

        @Override
        public void result(UUID fileId) {
            resultFileId = fileId;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void onAbort(Runnable cleanup) {
            cleanups.add(cleanup);
        }

        volatile boolean handingBack;

        void cancel() {
            cancelled = true;
        }

        void handBack() {
            handingBack = true;
            cancelled = true;
        }

        void abort() {
            for (Runnable cleanup : cleanups) {
                try {
                    cleanup.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "clean-up of %s failed", id);
                }
            }
            cleanups.clear();
        }
    }
}
