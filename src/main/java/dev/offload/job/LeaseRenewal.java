package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/** Renews the leases of the jobs running here; a job whose lease is gone (cancelled, reaped) is told to stop. */
@ApplicationScoped
class LeaseRenewal {

    private static final Logger LOG = Logger.getLogger(LeaseRenewal.class);
    static final String RENEW_SQL = "UPDATE " + Job.TABLE + " SET lease_expires_at = $1"
            + " WHERE id = $2 AND attempt = $3 AND lease_owner = $4";

    private final JobWork work;
    private final WorkerIdentity identity;
    private final OffloadConfig config;
    private final Pool pool;

    LeaseRenewal(JobWork work, WorkerIdentity identity, OffloadConfig config, EngineDb db) {
        this.work = work;
        this.identity = identity;
        this.config = config;
        this.pool = db.pool();
    }

    @Scheduled(every = "${offload.lease.renew-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> renew() {
        if (work.running().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime until = Timestamps.now().plus(config.lease().duration());
        return Multi.createFrom().iterable(work.running())
                .onItem().transformToUniAndConcatenate(job -> pool.preparedQuery(RENEW_SQL)
                        .execute(Tuple.of(until, job.id, job.attempt, identity.id()))
                        .invoke(rows -> {
                            if (rows.rowCount() == 0) {
                                job.cancel();
                            }
                        })
                        .onFailure().invoke(e -> LOG.warnf("cannot renew the lease of %s: %s", job.id, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
