package dev.offload.job;

import dev.offload.job.JobKind.Phase;
import dev.offload.storage.FileSink;
import dev.offload.storage.FileStore;
import dev.offload.storage.StoredFile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/** A job running in this process: its context, as the kind's work sees it, and what the engine tracks of its run. */
final class RunningJob<R> implements JobContext<R> {

    private static final Logger LOG = Logger.getLogger(RunningJob.class);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    static final String PROGRESS_SQL = "UPDATE " + Job.TABLE + " SET progress_done = $1, progress_total = $2"
            + " WHERE id = $3 AND attempt = $4 AND lease_owner = $5";

    /** What every running job shares: where it writes, who runs it. */
    record Support(Pool pool, FileStore store, String workerId, Duration progressInterval, Duration resultsKeep) {
    }

    final UUID id;
    final JobKind<R> kind;
    final String owner;
    final int attempt;
    final Phase phase;
    final OffsetDateTime startedAt;
    final UUID earlierResult;
    private final R row;
    private final Support support;
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    /** Counted down once cancelled, for {@link #awaitCancelled}. */
    private final java.util.concurrent.CountDownLatch cancelSignal = new java.util.concurrent.CountDownLatch(1);
    volatile boolean handingBack;
    private long lastWrite;
    volatile long lastDone;
    volatile Long lastTotal;
    /** The transition that ends the phase when the work returns: the phase's succeed unless the work chose another. */
    volatile String endBy;
    /** How this run ended, for its span: the transition it ended by, "cancelled", "handed back" or "failed". */
    String outcome;
    /** What failed the run, for its span. */
    Throwable failure;
    private volatile FileSink result;

    // Guarded by this: whether the job is watched (see CancelWatch), its start announced, its end begun.
    // The watcher thread, their only writer but for the end, also reads watched and watchAt alone.
    boolean watched;
    /** When the watcher looks at it: a while into its run, or again after a failed watch. */
    long watchAt;
    boolean announced;
    boolean ending;
    Runnable stopListening;

    RunningJob(UUID id, JobKind<R> kind, String owner, int attempt, Phase phase, OffsetDateTime startedAt,
            UUID earlierResult, JsonObject row, Support support, long watchAt) {
        this.id = id;
        this.kind = kind;
        this.owner = owner;
        this.attempt = attempt;
        this.phase = phase;
        this.startedAt = startedAt;
        this.earlierResult = earlierResult;
        this.row = JobRows.read(row == null ? new JsonObject() : row, kind.rowType());
        this.support = support;
        this.watchAt = watchAt;
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
    public R row() {
        return row;
    }

    @Override
    public void saveRow(R changed) {
        support.pool().preparedQuery(KindSql.saveRow(kind))
                .execute(Tuple.of(new JsonObject(JobRows.columns(changed)), id))
                .await().atMost(STATEMENT_TIMEOUT);
    }

    @Override
    public void endBy(String transition) {
        boolean fromRunning = kind.workflow().transition(transition)
                .map(t -> t.from().contains(phase.running())).orElse(false);
        if (!fromRunning) {
            throw new IllegalArgumentException(kind.name() + " has no transition " + transition + " from "
                    + phase.running());
        }
        endBy = transition;
    }

    @Override
    public void progress(long done, long total) {
        lastDone = done;
        lastTotal = total;
        long now = System.nanoTime();
        if (now - lastWrite < support.progressInterval().toNanos()) {
            return;
        }
        lastWrite = now;
        synchronized (this) { // after an announcement in flight (see CancelWatch), so events stay in order
            try {
                int rows = support.pool().preparedQuery(PROGRESS_SQL)
                        .execute(Tuple.of(done, total, id, attempt, support.workerId()))
                        .await().atMost(STATEMENT_TIMEOUT).rowCount();
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

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean awaitCancelled(java.time.Duration timeout) throws InterruptedException {
        return cancelled || cancelSignal.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized FileSink createResult(String contentType, String filename, OffsetDateTime expiresAt) {
        if (result != null) {
            throw new IllegalStateException("this phase of " + id + " opened its result already");
        }
        result = support.store().create(owner, filename, contentType,
                expiresAt != null ? expiresAt : dev.offload.db.Timestamps.now().plus(support.resultsKeep()));
        return result;
    }

    /** The result this run wrote, completed; null when it wrote none. */
    UUID completeResult() throws java.io.IOException {
        FileSink sink = result;
        if (sink == null) {
            return null;
        }
        sink.close();
        return sink.id();
    }

    @Override
    public Optional<StoredFile> result() {
        return earlierResult == null ? Optional.empty()
                : Optional.ofNullable(support.store().find(earlierResult).await().atMost(STATEMENT_TIMEOUT));
    }

    @Override
    public StoredFile input(UUID fileId) {
        StoredFile file = support.store().find(fileId).await().atMost(STATEMENT_TIMEOUT);
        if (file == null || !file.owner().equals(owner)) {
            throw new IllegalArgumentException("file " + fileId + " is gone");
        }
        return file;
    }

    @Override
    public InputStream open(StoredFile file) {
        return support.store().open(file);
    }

    @Override
    public void onAbort(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    void cancel() {
        cancelled = true;
        cancelSignal.countDown();
    }

    /** This worker stops: the job goes back to its queue for another. */
    void handBack() {
        handingBack = true;
        cancel();
    }

    /** Removes what the run wrote: its result, and what its clean-ups remove. */
    void abort() {
        FileSink sink = result;
        if (sink != null) {
            try {
                sink.abort();
            } catch (RuntimeException e) {
                LOG.warnf(e, "removing the partial result of %s failed", id);
            }
        }
        for (Runnable cleanup : cleanups) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "clean-up of %s failed", id);
            }
        }
        cleanups.clear();
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
}
