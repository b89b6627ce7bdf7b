package dev.offload.job;

import com.rabbitmq.client.AMQP;
import dev.offload.db.EngineDb;
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
import java.time.OffsetDateTime;
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
 * routing key = kind, persistent, with publisher confirms, and records which wake-ups the broker confirmed.
 * A job queued (at submit, or again) has a row in {@code job_unconfirmed} with its {@code queued_at};
 * confirmed wake-ups delete their rows in batches, matching both. A job whose confirmation never came
 * keeps its row and the relay sends it again; a late confirm of an earlier queueing removes nothing.
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
    private record Outgoing(String kind, Wakeup wakeup, CompletableFuture<Void> done, long sentAt,
            Map<String, Object> headers) {
        Outgoing sent() {
            return new Outgoing(kind, wakeup, done, System.nanoTime(), headers);
        }
    }

    /** A job's wake-up for its queueing at {@code queuedAt}: the key of its {@code job_unconfirmed} row. */
    private record Wakeup(UUID id, OffsetDateTime queuedAt) {
    }

    /** Deletes the rows of confirmed wake-ups, each by its key; one of a later queueing stays. */
    static final String MARK_SQL = "DELETE FROM job_unconfirmed u USING unnest($1::uuid[], $2::timestamptz[])"
            + " AS c(id, queued_at) WHERE u.job_id = c.id AND u.queued_at = c.queued_at";

    private final ConnectionFactory factory;
    private final Pool pool;
    private final ConcurrentLinkedQueue<Wakeup> confirmed = new ConcurrentLinkedQueue<>();
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

    /** Sends the wake-up for a job queued at {@code queuedAt}; completes when the broker confirmed it. */
    public Uni<Void> publish(String kind, UUID id, OffsetDateTime queuedAt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Outgoing(kind, new Wakeup(id, queuedAt), done, 0, null));
        return Uni.createFrom().completionStage(done).ifNoItem().after(CONFIRM_TIMEOUT.plusSeconds(1)).fail();
    }

    /** Sends without waiting: an unconfirmed wake-up is left to the relay. */
    public void publishLater(String kind, UUID id, OffsetDateTime queuedAt) {
        enqueue(new Outgoing(kind, new Wakeup(id, queuedAt), null, 0, null));
    }

    /** As {@link #publishLater(String, UUID, OffsetDateTime)}, the wake-up carrying {@code trace} to the worker. */
    public void publishLater(String kind, UUID id, OffsetDateTime queuedAt, io.opentelemetry.context.Context trace) {
        enqueue(new Outgoing(kind, new Wakeup(id, queuedAt), null, 0, JobTracing.headers(trace)));
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
                        ("{\"kind\":\"" + message.kind() + "\",\"id\":\"" + message.wakeup().id() + "\"}")
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
                .messageId(message.wakeup().id().toString())
                .headers(message.headers())
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
                confirmed.add(message.wakeup());
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
        LOG.debugf("publish of %s %s not confirmed (%s); the relay will retry", message.kind(), message.wakeup().id(), why);
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

    /** Deletes the rows of every wake-up confirmed so far (a stopping worker, before its connections close). */
    void recordConfirmed() {
        try {
            markConfirmed().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("confirmed wake-ups not recorded (%s); the relay may send them again", e.getMessage());
        }
    }

    /** Wake-ups the broker confirmed whose rows are not deleted yet (counted: for tests and diagnosis). */
    int awaitingMark() {
        return confirmed.size();
    }

    @Scheduled(every = "${offload.publisher.mark-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> markConfirmed() {
        if (confirmed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Wakeup> wakeups = new ArrayList<>();
        for (Wakeup w; wakeups.size() < MARK_BATCH && (w = confirmed.poll()) != null;) {
            wakeups.add(w);
        }
        UUID[] ids = new UUID[wakeups.size()];
        OffsetDateTime[] queued = new OffsetDateTime[wakeups.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = wakeups.get(i).id();
            queued[i] = wakeups.get(i).queuedAt();
        }
        return pool.preparedQuery(MARK_SQL)
                .execute(Tuple.of(ids, queued))
                .map(rows -> true)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("cannot record %d confirmed wake-ups (%s); will retry", ids.length, e.getMessage());
                    confirmed.addAll(wakeups);
                    return false;
                })
                // Drain what arrived meanwhile, a batch at a time, so marking keeps up with any submit rate; after
                // a failure the next run retries (not at once: a closed pool would fail it again and again).
                .chain(marked -> marked && ids.length == MARK_BATCH ? markConfirmed() : Uni.createFrom().voidItem());
    }
}
