package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes again the jobs whose wake-up was never confirmed (broker down at submit, process killed
 * between commit and publish). A duplicate wake-up is harmless: the claim is a compare-and-set.
 */
@ApplicationScoped
public class JobRelay {

    private static final Logger LOG = Logger.getLogger(JobRelay.class);

    private final JobPublisher publisher;
    private final Topology topology;
    private final OffloadConfig config;

    public JobRelay(JobPublisher publisher, Topology topology, OffloadConfig config) {
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
        return Panache.withSession(() -> Job.<Job>find("published = false and queuedAt < ?1 order by queuedAt",
                        JobService.now().minus(config.relay().after()))
                        .range(0, config.relay().batch() - 1).list())
                .invoke(this::republish)
                // A pass that hangs (a stuck connection) must not block every later pass.
                .ifNoItem().after(JobService.PASS_TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.warnf("relay pass failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void republish(List<Job> jobs) {
        if (!jobs.isEmpty()) {
            LOG.infof("relaying %d unconfirmed job(s)", jobs.size());
        }
        jobs.forEach(job -> publisher.publishLater(job.kind, job.id));
    }
}
