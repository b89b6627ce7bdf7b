package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.Timestamps;
import dev.offload.job.JobKind.Phase;
import dev.offload.workflow.StateUpdate;
import dev.offload.workflow.WorkflowService;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Claims jobs for this worker: a job waiting for one of its kind's phases moves to the phase's running
 * state with a lease (compare-and-set, its log row with the new attempt) and comes back with its kind's
 * row, in one statement with the other claims of the moment (group commit, see {@link Batcher}).
 */
@ApplicationScoped
class Claims {

    private static final Logger LOG = Logger.getLogger(Claims.class);
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final int RETRIES = 5;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    /** A job this worker claimed: what its run needs. */
    record Claimed(UUID id, String owner, int attempt, Phase phase, OffsetDateTime at, UUID result, JsonObject row) {
    }

    private final WorkflowService workflows;
    private final WorkerIdentity identity;
    private final OffloadConfig config;
    private final MeterRegistry meters;
    private final Batchers batchers;
    private final Map<String, Batcher<UUID, Claimed>> claimers = new ConcurrentHashMap<>();

    Claims(WorkflowService workflows, WorkerIdentity identity, OffloadConfig config, MeterRegistry meters,
            Batchers batchers) {
        this.workflows = workflows;
        this.identity = identity;
        this.config = config;
        this.meters = meters;
        this.batchers = batchers;
    }

    /** The claimed job; null when it is gone, finished or someone else's; fails once the retries are used up. */
    Uni<Claimed> claim(JobKind<?> kind, UUID id) {
        return claimers.computeIfAbsent(kind.name(),
                        k -> batchers.<UUID, Claimed>create("claim", k, ids -> claimAll(kind, ids)))
                .add(id)
                .ifNoItem().after(STATEMENT_TIMEOUT).fail()
                // A database hiccup should not cost the delivery: retry a few times before giving the
                // message back to the broker (requeued; dead-lettered after the queue's delivery limit).
                .onFailure().retry().withBackOff(BACKOFF, BACKOFF.multipliedBy(16)).atMost(RETRIES)
                .onFailure().invoke(e -> LOG.warnf(e, "claim of %s %s failed; the message will be redelivered",
                        kind.name(), id));
    }

    private Uni<List<Claimed>> claimAll(JobKind<?> kind, List<UUID> ids) {
        OffsetDateTime now = Timestamps.now();
        Map<String, String> startByWaiting = new HashMap<>();
        kind.phases().forEach(phase -> startByWaiting.put(phase.waiting(), phase.start()));
        StateUpdate lease = StateUpdate.set("leaseOwner", identity.id())
                .and("leaseExpiresAt", now.plus(config.lease().duration()))
                .and("startedAt", now)
                .increment("attempt")
                .and("progressDone", 0L)
                .and("progressTotal", null);
        return workflows.advanceAll(kind.workflow(), ids, startByWaiting, identity.id(), now, lease, List.of("attempt"),
                        List.of("owner", "attempt", "queuedAt", "resultFileId"),
                        new WorkflowService.Joined(kind.table(), "job_id"))
                .map(rows -> {
                    Map<UUID, Claimed> claimed = new HashMap<>();
                    for (Row row : rows) {
                        Phase phase = kind.phaseWaitingIn(row.getString("from_state")).orElseThrow();
                        Claimed job = new Claimed(row.getUUID("id"), row.getString("owner"), row.getInteger("attempt"),
                                phase, now, row.getUUID("result_file_id"), row.getJsonObject("joined"));
                        claimed.put(job.id(), job);
                        meters.timer("offload.jobs.queue.wait", "kind", kind.name())
                                .record(Duration.between(row.getOffsetDateTime("queued_at"), now));
                    }
                    List<Claimed> answers = new ArrayList<>(ids.size());
                    for (UUID id : ids) {
                        answers.add(claimed.remove(id)); // a duplicate message of the same batch gets null
                    }
                    return answers;
                });
    }
}
