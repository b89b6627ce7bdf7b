package dev.offload.job;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes the wake-up message {@code {kind, id}} to the {@value Topology#EXCHANGE} exchange with
 * routing key = kind, persistent, with publisher confirms, and records which jobs the broker confirmed.
 * Confirmed ids are marked published in batches; a job whose confirmation never came stays
 * unpublished and the relay sends it again.
 *
 * <p>One thread owns one channel in confirm mode and sends whatever is waiting in one go; confirms
 * arrive (often many at once) on the client's connection thread. This is the AMQP client the
 * messaging connector itself runs on, used directly: the connector's outgoing channel looked up
 * three configuration values for every message, which cost more CPU than the rest of a submission.
 * The consumers stay on the connector.
 */
@ApplicationScoped
public class JobPublisher {

    private static final Logger LOG = Logger.getLogger(JobPublisher.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    private static final int MARK_BATCH = 1000;
    private static final int SEND_BATCH = 1000;

    /** A wake-up on its way; {@code done} (when someone waits) completes on confirm and fails otherwise. */
    private record Outgoing(String kind, UUID id, CompletableFuture<Void> done, long sentAt) {
        Outgoing sent() {
            return new Outgoing(kind, id, done, System.nanoTime());
        }
    }

    private final ConnectionFactory factory;
    private final Pool pool;
    private final ConcurrentLinkedQueue<UUID> confirmed = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<Outgoing> waiting = new LinkedBlockingQueue<>();
    private final ConcurrentNavigableMap<Long, Outgoing> unconfirmed = new ConcurrentSkipListMap<>();
    private volatile boolean stopping;
    private volatile Thread sender;
    private Connection connection;
    private Channel channel;

    public JobPublisher(Topology topology, EngineDb db) {
        this.factory = topology.connectionFactory();
        this.factory.setAutomaticRecoveryEnabled(false); // the sender reconnects itself; confirms do not survive recovery
        this.pool = db.pool();
    }

    /** Sends the wake-up for a job; completes when the broker confirmed it. */
    public Uni<Void> publish(String kind, UUID id) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Outgoing(kind, id, done, 0));
        return Uni.createFrom().completionStage(done).ifNoItem().after(CONFIRM_TIMEOUT.plusSeconds(1)).fail();
    }

    /** Sends without waiting: an unconfirmed wake-up is left to the relay. */
    public void publishLater(String kind, UUID id) {
        enqueue(new Outgoing(kind, id, null, 0));
    }

    private void enqueue(Outgoing message) {
        if (stopping) {
            fail(message, "the publisher is stopping");
            return;
        }
        waiting.add(message);
        if (sender == null) {
            startSender();
        }
    }

    private synchronized void startSender() {
        if (sender == null && !stopping) {
            Thread thread = new Thread(this::send, "offload-publisher");
            thread.setDaemon(true);
            thread.start();
            sender = thread;
        }
    }

    /** The sender thread: takes what is waiting, publishes it on the confirm channel, expires old confirms. */
    private void send() {
        List<Outgoing> batch = new ArrayList<>();
        while (!stopping) {
            try {
                Outgoing first = waiting.poll(200, TimeUnit.MILLISECONDS);
                expireUnconfirmed();
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                waiting.drainTo(batch, SEND_BATCH - 1);
                Channel open = channel();
                if (open == null) {
                    batch.forEach(m -> fail(m, "the broker is unreachable"));
                    Thread.sleep(RECONNECT_PAUSE.toMillis()); // the relay sends them later
                    continue;
                }
                publish(open, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "the publisher failed a batch; the relay will resend it");
                batch.forEach(m -> fail(m, e.toString()));
            }
        }
    }

    private void publish(Channel open, List<Outgoing> batch) {
        int i = 0;
        try {
            for (; i < batch.size(); i++) {
                Outgoing message = batch.get(i);
                unconfirmed.put(open.getNextPublishSeqNo(), message.sent());
                open.basicPublish(Topology.EXCHANGE, message.kind(), properties(message),
                        ("{\"kind\":\"" + message.kind() + "\",\"id\":\"" + message.id() + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            LOG.debugf("publishing stopped: %s; the relay will resend what was not confirmed", e.toString());
            batch.subList(i + 1, batch.size()).forEach(m -> fail(m, e.toString()));
            closeQuietly();
        }
    }

    private static AMQP.BasicProperties properties(Outgoing message) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(message.id().toString())
                .build();
    }

    /** The open confirm channel, connecting when there is none; null when the broker cannot be reached. */
    private Channel channel() {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        try {
            connection = factory.newConnection("offload-publisher");
            Channel opened = connection.createChannel();
            opened.confirmSelect();
            opened.addConfirmListener((tag, multiple) -> settle(tag, multiple, true),
                    (tag, multiple) -> settle(tag, multiple, false));
            opened.addShutdownListener(cause -> failUnconfirmed("the channel closed: " + cause.getMessage()));
            channel = opened;
            LOG.debug("publisher connected");
            return opened;
        } catch (Exception e) {
            LOG.debugf("publisher cannot connect: %s", e.toString());
            closeQuietly();
            return null;
        }
    }

    private void settle(long tag, boolean multiple, boolean ack) {
        Map<Long, Outgoing> settled = multiple ? unconfirmed.headMap(tag, true) : subMap(tag);
        for (Outgoing message : new ArrayList<>(settled.values())) {
            if (ack) {
                confirmed.add(message.id());
                if (message.done() != null) {
                    message.done().complete(null);
                }
            } else {
                fail(message, "the broker refused it");
            }
        }
        settled.clear();
    }

    private Map<Long, Outgoing> subMap(long tag) {
        return unconfirmed.subMap(tag, true, tag, true);
    }

    private void expireUnconfirmed() {
        long oldest = System.nanoTime() - CONFIRM_TIMEOUT.toNanos();
        unconfirmed.values().removeIf(message -> {
            boolean expired = message.sentAt() < oldest;
            if (expired) {
                fail(message, "no confirmation within " + CONFIRM_TIMEOUT);
            }
            return expired;
        });
    }

    private void failUnconfirmed(String why) {
        for (Long tag : new ArrayList<>(unconfirmed.keySet())) {
            Outgoing message = unconfirmed.remove(tag);
            if (message != null) {
                fail(message, why);
            }
        }
    }

    private static void fail(Outgoing message, String why) {
        LOG.debugf("publish of %s %s not confirmed (%s); the relay will retry", message.kind(), message.id(), why);
        if (message.done() != null) {
            message.done().completeExceptionally(new IllegalStateException("not confirmed: " + why));
        }
    }

    private void closeQuietly() {
        Connection open = connection;
        connection = null;
        channel = null;
        if (open != null) {
            try {
                open.abort(1000);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread thread = sender;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly();
    }

    /** Jobs the broker confirmed that are not yet marked published (counted: for tests and diagnosis). */
    int awaitingMark() {
        return confirmed.size();
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
                .map(rows -> true)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("cannot mark %d confirmed jobs published (%s); will retry", ids.size(), e.getMessage());
                    confirmed.addAll(ids);
                    return false;
                })
                // Drain what arrived meanwhile, a batch at a time, so marking keeps up with any submit rate; after
                // a failure the next run retries (not at once: a closed pool would fail it again and again).
                .chain(marked -> marked && ids.size() == MARK_BATCH ? markConfirmed() : Uni.createFrom().voidItem());
    }
}
