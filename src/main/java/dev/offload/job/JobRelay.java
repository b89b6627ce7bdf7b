package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes again the jobs whose wake-up was never confirmed (broker down at submit, process killed
 * between commit and publish, a confirmation later than the publisher waits). A duplicate wake-up is
 * harmless: the claim is a compare-and-set.
 */
@ApplicationScoped
public class JobRelay {

    private static final Logger LOG = Logger.getLogger(JobRelay.class);
    /** Before every job: where a pass starts. */
    private static final OffsetDateTime FROM_THE_START = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final JobPublisher publisher;
    private final Topology topology;
    private final OffloadConfig config;
    private final Pool pool;

    public JobRelay(JobPublisher publisher, Topology topology, OffloadConfig config, EngineDb db) {
        this.pool = db.pool();
        this.publisher = publisher;
        this.topology = topology;
        this.config = config;
    }

    @Scheduled(every = "${offload.relay.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        if (!topology.declareIfNeeded()) {
            return Uni.createFrom().voidItem();
        }
        return relayFrom(JobService.now().minus(config.relay().after()), FROM_THE_START, new UUID(0, 0))
                .onFailure().invoke(e -> LOG.warnf("relay pass failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * One pass: the unconfirmed jobs queued before {@code before}, oldest first, a batch at a time after
     * (queuedAt, id) = ({@code afterQueuedAt}, {@code afterId}); each batch is published with confirms and
     * the next one read once the broker confirmed it. So a backlog (the broker was down for a while at
     * thousands of jobs a second) drains at the broker's pace in one pass, not a batch per period, and
     * never has more than a batch waiting for confirms. A batch that is not confirmed ends the pass.
     */
    private Uni<Void> relayFrom(OffsetDateTime before, OffsetDateTime afterQueuedAt, UUID afterId) {
        int batch = config.relay().batch();
        return pool.preparedQuery("SELECT id, kind, queued_at FROM " + Job.TABLE + " WHERE NOT published"
                        + " AND queued_at < $1 AND queued_at >= $2 AND (queued_at, id) > ($2, $3) ORDER BY queued_at, id LIMIT $4")
                .execute(Tuple.of(before, afterQueuedAt, afterId, batch))
                // A batch that hangs (a stuck connection, a broker that never answers) must not block later passes.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .chain(rows -> {
                    List<Row> jobs = new ArrayList<>();
                    rows.forEach(jobs::add);
                    if (jobs.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("relaying %d unconfirmed job(s)", jobs.size());
                    Row last = jobs.get(jobs.size() - 1);
                    Uni<Void> confirmed = Uni.join().all(jobs.stream()
                                    .map(job -> publisher.publish(job.getString("kind"), job.getUUID("id"))).toList())
                            .andCollectFailures().replaceWithVoid();
                    return jobs.size() < batch ? confirmed
                            : confirmed.chain(() -> relayFrom(before, last.getOffsetDateTime("queued_at"), last.getUUID("id")));
                });
    }
}
