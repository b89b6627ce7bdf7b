package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Publishes wake-ups again, so no job is stranded in a queue state:
 * <ul>
 * <li>those with a {@code job_unconfirmed} row older than {@code offload.relay.after}: never confirmed (broker
 * down at submit, process killed between commit and publish, a hand-back whose confirm did not come);</li>
 * <li>those of jobs that have waited for a worker longer than {@code offload.relay.stale-after} although the
 * broker confirmed their wake-up: the message was dead-lettered (its claim failed until the queue's delivery
 * limit), lost with a broker's disk, or purged by an operator. Each such job is woken again at most once per
 * {@code stale-after} ({@code job.woken_at}).</li>
 * </ul>
 * A duplicate wake-up is harmless: the claim is a compare-and-set.
 */
@ApplicationScoped
public class JobRelay {

    private static final Logger LOG = Logger.getLogger(JobRelay.class);

    /** The oldest wake-ups not confirmed since before $1, at most $2, with their jobs' kinds. */
    static final String OLDEST_SQL = "SELECT u.job_id AS id, j.kind, u.queued_at FROM job_unconfirmed u"
            + " JOIN " + Job.TABLE + " j ON j.id = u.job_id WHERE u.queued_at < $1 ORDER BY u.queued_at LIMIT $2";

    /**
     * Jobs without a lease, not finished, in a state a phase waits in ($1), queued before $2 and not woken since
     * $2, without an unconfirmed wake-up; at most $3, oldest first. They are marked woken in the same statement.
     */
    static final String STALE_SQL = "WITH stale AS (SELECT j.id FROM " + Job.TABLE + " j"
            + " WHERE j.lease_owner IS NULL AND j.finished_at IS NULL AND j.state = ANY($1) AND j.queued_at < $2"
            + " AND (j.woken_at IS NULL OR j.woken_at < $2)"
            + " AND NOT EXISTS (SELECT 1 FROM job_unconfirmed u WHERE u.job_id = j.id)"
            + " ORDER BY j.queued_at LIMIT $3 FOR UPDATE SKIP LOCKED)"
            + " UPDATE " + Job.TABLE + " j SET woken_at = $4 FROM stale WHERE j.id = stale.id"
            + " RETURNING j.id, j.kind, j.queued_at";

    private final JobPublisher publisher;
    private final JobKinds kinds;
    private final Topology topology;
    private final OffloadConfig config;
    private final Pool pool;
    private final EngineDb db;

    public JobRelay(JobPublisher publisher, Topology topology, OffloadConfig config, EngineDb db, JobKinds kinds) {
        this.kinds = kinds;
        this.publisher = publisher;
        this.pool = db.pool();
        this.db = db;
        this.topology = topology;
        this.config = config;
    }

    @Scheduled(every = "${offload.relay.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        if (!topology.declareIfNeeded()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(OLDEST_SQL)
                .execute(Tuple.of(Timestamps.now().minus(config.relay().after()), config.relay().batch()))
                .invoke(this::republish)
                .chain(() -> pool.preparedQuery(STALE_SQL).execute(Tuple.of(waitingStates(),
                        Timestamps.now().minus(config.relay().staleAfter()), config.relay().batch(), Timestamps.now())))
                .invoke(this::wakeStale)
                // A pass that hangs (a stuck connection) must not block every later pass.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .onFailure().invoke(e -> failed(e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private String[] waitingStates() {
        return kinds.all().stream().flatMap(k -> k.phases().stream()).map(JobKind.Phase::waiting).distinct()
                .toArray(String[]::new);
    }

    private void wakeStale(RowSet<Row> rows) {
        if (rows.size() > 0) {
            LOG.warnf("waking %d job(s) that waited longer than %s for a worker although their wake-up was"
                    + " confirmed (dead-lettered, lost or purged)", rows.size(), config.relay().staleAfter());
        }
        rows.forEach(row -> {
            if (kinds.find(row.getString("kind")).isPresent()) {
                publisher.publishLater(row.getString("kind"), row.getUUID("id"), row.getOffsetDateTime("queued_at"));
            }
        });
    }

    private void republish(RowSet<Row> rows) {
        if (rows.size() > 0) {
            LOG.infof("relaying %d unconfirmed job(s)", rows.size());
        }
        rows.forEach(row -> publisher.publishLater(row.getString("kind"), row.getUUID("id"),
                row.getOffsetDateTime("queued_at")));
    }

    /** A pass that fails while the process stops (its connections closing) is logged at debug only. */
    private void failed(Throwable e) {
        if (db.closed()) {
            LOG.debugf("relay pass ended by the shutdown: %s", e.getMessage());
        } else {
            LOG.warnf("relay pass failed: %s", e.getMessage());
        }
    }
}
