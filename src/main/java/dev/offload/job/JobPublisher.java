package dev.offload.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the wake-up message {@code {kind, id}} to the {@value Topology#EXCHANGE} exchange with
 * routing key = kind, and records which jobs the broker confirmed. Confirmed ids are marked published
 * in batches; a job whose confirmation never came stays unpublished and the relay sends it again.
 */
@ApplicationScoped
public class JobPublisher {

    public static final String CHANNEL = "jobs-out";
    private static final Logger LOG = Logger.getLogger(JobPublisher.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final int MARK_BATCH = 1000;

    private final MutinyEmitter<JsonObject> emitter;
    private final ConcurrentLinkedQueue<UUID> confirmed = new ConcurrentLinkedQueue<>();

    private final Pool pool;

    public JobPublisher(@Channel(CHANNEL) MutinyEmitter<JsonObject> emitter, EngineDb db) {
        this.emitter = emitter;
        this.pool = db.pool();
    }

    /** Sends the wake-up for a job; completes when the broker confirmed it. */
    public Uni<Void> publish(String kind, UUID id) {
        Message<JsonObject> message = Message.of(new JsonObject().put("kind", kind).put("id", id.toString()))
                .addMetadata(OutgoingRabbitMQMetadata.builder()
                        .withRoutingKey(kind)
                        .withDeliveryMode(2)
                        .withContentType("application/json")
                        .withMessageId(id.toString())
                        .build());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail()
                .invoke(() -> confirmed.add(id));
    }

    /** Publishes without waiting: a failure is logged and left to the relay. */
    public void publishLater(String kind, UUID id) {
        publish(kind, id).subscribe().with(ignored -> { },
                failure -> LOG.debugf("publish of %s %s not confirmed (%s); the relay will retry", kind, id,
                        failure.getMessage()));
    }

    @Scheduled(every = "${offload.publisher.mark-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> markConfirmed() {
        if (confirmed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = new ArrayList<>();
        for (UUID id; ids.size() < MARK_BATCH && (id = confirmed.poll()) != null;) {
            ids.add(id);
        }
        return pool.preparedQuery("UPDATE " + Job.TABLE + " SET published = true WHERE id = ANY($1) AND NOT published")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .onFailure().invoke(e -> {
                    LOG.warnf("cannot mark %d confirmed jobs published (%s); will retry", ids.size(), e.getMessage());
                    confirmed.addAll(ids);
                })
                .onFailure().recoverWithNull()
                // Drain what arrived meanwhile, a batch at a time, so marking keeps up with any submit rate.
                .chain(ignored -> ids.size() == MARK_BATCH ? markConfirmed() : Uni.createFrom().voidItem());
    }
}
