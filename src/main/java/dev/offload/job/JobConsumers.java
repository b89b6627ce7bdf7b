package dev.offload.job;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.offload.config.OffloadConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The kinds' queue consumers, derived from the kind registry: in a process that runs workers, one channel
 * per kind on one connection, consuming the kind's queue ({@link Topology#queue}) with a prefetch of the
 * kind's concurrency ({@code offload.kinds.<kind>.concurrency}, 4 by default; 0: this process does not
 * run the kind). Each delivery goes to {@link JobRunner}; nothing of a kind is written per kind.
 *
 * <p>RabbitMQ's Java client (the library the publisher uses too) consumes directly: the messaging
 * connector needs a channel declared by name in configuration and code for each kind. The client reconnects
 * by itself and re-registers the consumers; a lost connection is logged once, and its return once.
 */
@ApplicationScoped
public class JobConsumers {

    private static final Logger LOG = Logger.getLogger(JobConsumers.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final JobKinds kinds;
    private final JobRunner runner;
    private final Topology topology;
    private final OffloadConfig config;
    private final Map<String, Channel> channels = new TreeMap<>();
    /** Acknowledgements leave the claim's thread (an event loop): a socket write does not belong there. */
    private final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "offload-acks");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "offload-consumers-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile Connection connection;
    private volatile boolean connected;
    private volatile boolean stopping;
    private volatile String problem = "not connected yet";
    private boolean warned;

    private final MeterRegistry meters;

    public JobConsumers(JobKinds kinds, JobRunner runner, Topology topology, OffloadConfig config,
            MeterRegistry meters) {
        this.kinds = kinds;
        this.runner = runner;
        this.topology = topology;
        this.config = config;
        this.meters = meters;
    }

    void start(@Observes @Priority(30) StartupEvent event) {
        if (config.role().runsWorkers()) {
            // 1 while this process consumes its kinds' queues, 0 while the broker is away (the WARN and INFO
            // say when it went and came back; this says how long, to an alert).
            Gauge.builder("offload.broker.connected", this, consumers -> consumers.connected ? 1 : 0)
                    .description("1 while the job consumers are connected to the broker, else 0")
                    .register(meters);
            retries.execute(this::connect);
        }
    }

    /** Whether this process consumes its kinds' queues now, or why not; null when it runs no workers. */
    public String problem() {
        if (!config.role().runsWorkers()) {
            return null;
        }
        return connected ? null : problem;
    }

    /** The kinds this process consumes. */
    public List<String> consumed() {
        return kinds.all().stream().map(JobKind::name).filter(k -> runner.concurrency(k) > 0).toList();
    }

    private synchronized void connect() {
        if (stopping || connection != null) {
            return;
        }
        try {
            if (!topology.declareIfNeeded()) {
                throw new TopologyNotDeclared(topology.problem());
            }
            ConnectionFactory factory = topology.connectionFactory();
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setNetworkRecoveryInterval(RETRY.toMillis());
            Connection opened = factory.newConnection("offload-consumers");
            for (String kind : consumed()) {
                consume(opened, kind);
            }
            opened.addShutdownListener(this::lost);
            ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    connected = true;
                    LOG.infof("connected to the broker again; consuming %s", consumed());
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                }
            });
            connection = opened;
            connected = true;
            if (warned) {
                LOG.infof("connected to the broker; consuming %s", consumed());
            } else {
                LOG.debugf("consuming %s", consumed());
            }
        } catch (Exception e) {
            problem = "cannot consume the job queues: " + reason(e);
            if (!warned) {
                warned = true;
                if (e instanceof TopologyNotDeclared) {
                    LOG.debugf("%s; trying again every %d s", problem, RETRY.toSeconds()); // the topology said why
                } else {
                    LOG.warnf("%s; trying again every %d s", problem, RETRY.toSeconds());
                }
            }
            channels.clear();
            if (!stopping) {
                retries.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A channel consuming the kind's queue, opened again if the broker closes it alone (a channel error). */
    private void consume(Connection connection, String kind) throws IOException {
        Channel channel = connection.createChannel();
        channel.basicQos(runner.concurrency(kind));
        channel.basicConsume(Topology.queue(kind), false, "offload-" + kind + "-" + UUID.randomUUID(),
                new Deliveries(channel, kinds.get(kind)));
        channels.put(kind, channel);
        channel.addShutdownListener(cause -> {
            if (stopping || cause.isHardError() || cause.isInitiatedByApplication() || !connection.isOpen()) {
                return; // the connection's own loss is recovered with it
            }
            LOG.warnf("the broker closed the %s consumer's channel (%s); opening another", kind, reason(cause));
            retries.execute(() -> {
                try {
                    synchronized (this) {
                        consume(connection, kind);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("cannot consume the %s queue again: %s", kind, reason(e));
                }
            });
        });
    }

    private void lost(ShutdownSignalException cause) {
        if (stopping || cause.isInitiatedByApplication()) {
            return;
        }
        connected = false;
        problem = "connection to the broker lost: " + reason(cause);
        LOG.warnf("%s; reconnecting every %d s", problem, RETRY.toSeconds());
    }

    /** The topology could not be declared; {@link Topology} has logged why. */
    private static final class TopologyNotDeclared extends IOException {
        TopologyNotDeclared(String reason) {
            super(reason);
        }
    }

    /** The cause of a broker failure in one line: the innermost message that says something. */
    static String reason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Connection.Close close) {
                return close.getReplyText();
            }
            if (t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    /** First of the shutdown: no new deliveries while the runner hands its jobs back. */
    void cancel(@Observes @Priority(JobRunner.STOP_FIRST - 5) ShutdownEvent event) {
        stopping = true;
        retries.shutdownNow();
        List<Channel> open;
        synchronized (this) {
            open = new ArrayList<>(channels.values());
        }
        for (Channel channel : open) {
            try {
                for (String tag : consumerTags(channel)) {
                    channel.basicCancel(tag);
                }
            } catch (Exception e) {
                LOG.debugf("cancelling a consumer: %s", e.getMessage());
            }
        }
    }

    /** After the runner stopped: closing returns the deliveries held unacknowledged to their queues. */
    void close(@Observes @Priority(JobRunner.STOP_FIRST + 10) ShutdownEvent event) {
        acks.shutdown();
        try {
            acks.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection open = connection;
        if (open != null) {
            try {
                open.close(2000);
            } catch (Exception e) {
                LOG.debugf("closing the consumers' connection: %s", e.getMessage());
            }
        }
    }

    private final Map<Channel, List<String>> tags = new java.util.concurrent.ConcurrentHashMap<>();

    private List<String> consumerTags(Channel channel) {
        return tags.getOrDefault(channel, List.of());
    }

    /** One kind's deliveries: each names a job; the runner claims it. */
    private final class Deliveries extends DefaultConsumer {
        private final JobKind<?> kind;

        Deliveries(Channel channel, JobKind<?> kind) {
            super(channel);
            this.kind = kind;
        }

        @Override
        public void handleConsumeOk(String consumerTag) {
            tags.computeIfAbsent(getChannel(), c -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(consumerTag);
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled the consumer: its queue was deleted. Readiness says so until the process restarts.
            connected = false;
            problem = "the broker cancelled the consumer of the " + kind.name() + " queue (deleted?)";
            LOG.warnf("%s; restart this process once the queue is back", problem);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            long tag = envelope.getDeliveryTag();
            UUID id = jobId(body);
            if (id == null) {
                LOG.warnf("dropping a malformed message on the %s queue", kind.name());
                acknowledge(tag, true);
                return;
            }
            runner.take(kind, id, JobTracing.extract(properties.getHeaders()), new JobRunner.Receipt() {
                @Override
                public void ack() {
                    acknowledge(tag, true);
                }

                @Override
                public void requeue() {
                    acknowledge(tag, false);
                }
            });
        }

        private void acknowledge(long tag, boolean done) {
            try {
                acks.execute(() -> {
                    try {
                        if (done) {
                            getChannel().basicAck(tag, false);
                        } else {
                            getChannel().basicNack(tag, false, true);
                        }
                    } catch (Exception e) {
                        // The channel closed since: the broker redelivers; a duplicate wake-up is harmless.
                        LOG.debugf("cannot acknowledge a %s delivery: %s", kind.name(), e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debugf("stopping: a %s delivery goes back to its queue", kind.name());
            }
        }

        private UUID jobId(byte[] body) {
            try {
                JsonObject message = new JsonObject(io.vertx.core.buffer.Buffer.buffer(body));
                if (!kind.name().equals(message.getString("kind"))) {
                    return null;
                }
                return UUID.fromString(message.getString("id"));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
