package dev.offload.job;

import dev.offload.db.EngineDb;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells a job that has run for a while of its cancel (or reaping) at once: this process listens for its
 * events and then checks that it still holds the job, announcing its start in the same statement unless a
 * progress write did already. A claim does not notify (see V6): most jobs end before anyone could watch
 * them start, and their end's event tells which state they left.
 */
@ApplicationScoped
class CancelWatch {

    private static final Logger LOG = Logger.getLogger(CancelWatch.class);
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

    private final JobEvents events;
    private final WorkerIdentity identity;
    private final Pool pool;
    private volatile ScheduledExecutorService watcher;
    private volatile boolean stopped;

    CancelWatch(JobEvents events, WorkerIdentity identity, EngineDb db) {
        this.events = events;
        this.identity = identity;
        this.pool = db.pool();
    }

    /** Starts the watcher, which looks at the jobs running here every {@link #WATCH_EVERY}, at the first job. */
    void watchSoon(JobWork work) {
        if (watcher == null) {
            synchronized (this) {
                if (watcher == null && !stopped) {
                    ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "offload-job-watcher");
                        t.setDaemon(true);
                        return t;
                    });
                    started.scheduleWithFixedDelay(() -> watchLongRunning(work), WATCH_EVERY.toMillis(),
                            WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    watcher = started;
                }
            }
        }
    }

    /** Stops watching; a watch in progress finishes. */
    synchronized void stop() {
        stopped = true;
        if (watcher != null) {
            watcher.shutdown();
        }
    }

    private void watchLongRunning(JobWork work) {
        long now = System.nanoTime();
        for (RunningJob<?> job : work.running()) {
            if (!job.watched && now - job.watchAt >= 0) {
                try {
                    watch(job);
                } catch (Throwable e) {
                    // Tried again in a second; meanwhile the lease renewal still tells it of a cancel.
                    LOG.warnf("cannot watch %s %s yet: %s", job.kind.name(), job.id, e.toString());
                    job.unwatch(System.nanoTime() + WATCH_RETRY.toNanos());
                }
            }
        }
    }

    private void watch(RunningJob<?> job) {
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
}
