package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Publishes the wake-ups that have a {@code job_unconfirmed} row older than {@code offload.relay.after}:
 * never confirmed (broker down at submit, process killed between commit and publish, a hand-back
 * whose confirm did not come), or never sent (a job queued for its next phase). A duplicate wake-up
 * is harmless: the claim is a compare-and-set.
 */
@ApplicationScoped
public class JobRelay {

    private static final Logger LOG = Logger.getLogger(JobRelay.class);

    /** The oldest wake-ups not confirmed since before $1, at most $2, with their jobs' kinds. */
    static final String OLDEST_SQL = "SELECT u.job_id AS id, j.kind, u.queued_at FROM job_unconfirmed u"
            + " JOIN " + Job.TABLE + " j ON j.id = u.job_id WHERE u.queued_at < $1 ORDER BY u.queued_at LIMIT $2";

    private final JobPublisher publisher;
    private final Topology topology;
    private final OffloadConfig config;
    private final Pool pool;

    public JobRelay(JobPublisher publisher, Topology topology, OffloadConfig config, EngineDb db) {
        this.publisher = publisher;
        this.pool = db.pool();
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
                .execute(Tuple.of(JobService.now().minus(config.relay().after()), config.relay().batch()))
                .invoke(this::republish)
                // A pass that hangs (a stuck connection) must not block every later pass.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.warnf("relay pass failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void republish(RowSet<Row> rows) {
        if (rows.size() > 0) {
            LOG.infof("relaying %d unconfirmed job(s)", rows.size());
        }
        rows.forEach(row -> publisher.publishLater(row.getString("kind"), row.getUUID("id"),
                row.getOffsetDateTime("queued_at")));
    }
}
