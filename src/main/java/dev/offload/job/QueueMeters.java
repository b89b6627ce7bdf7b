package dev.offload.job;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.offload.config.OffloadConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What the broker holds for each kind, as gauges every service process exports (dashboards and alerts take the
 * max over pods): {@code offload_queue_messages{kind}} waiting in the kind's queue, {@code
 * offload_queue_consumers{kind}} consuming it (0: no worker runs the kind) and {@code offload_dead_letters{kind}}
 * in its dead-letter queue. Read with passive declares on a connection of its own; NaN while the broker is away.
 */
@ApplicationScoped
public class QueueMeters {

    public static final String MESSAGES = "offload.queue.messages";
    public static final String CONSUMERS = "offload.queue.consumers";
    public static final String DEAD_LETTERS = "offload.dead.letters";
    private static final Logger LOG = Logger.getLogger(QueueMeters.class);

    private final Topology topology;
    private final JobKinds kinds;
    private final MeterRegistry meters;
    private final OffloadConfig config;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private Connection connection;

    public QueueMeters(Topology topology, JobKinds kinds, MeterRegistry meters, OffloadConfig config) {
        this.topology = topology;
        this.kinds = kinds;
        this.meters = meters;
        this.config = config;
    }

    @Scheduled(every = "${offload.queue.meter-every:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void read() {
        if (!config.role().isService()) {
            return;
        }
        for (JobKind<?> kind : kinds.all()) {
            double[] kindValues = values.computeIfAbsent(kind.name(), this::register);
            try {
                Counts counts = read(kind.name());
                kindValues[0] = counts.messages();
                kindValues[1] = counts.consumers();
                kindValues[2] = counts.deadLetters();
            } catch (Exception e) {
                java.util.Arrays.fill(kindValues, Double.NaN);
                LOG.debugf("cannot read the %s queue's depth: %s", kind.name(), JobConsumers.reason(e));
            }
        }
    }

    /** One kind's queue as the broker counts it now. */
    public record Counts(long messages, long consumers, long deadLetters) {
    }

    /**
     * Reads a kind's counts now, on this reader's connection (the gauges' and {@code GET /api/v1/queues}'); throws
     * when the broker cannot be reached or the kind's queues are not declared.
     */
    public Counts read(String kind) throws Exception {
        Channel channel = channel();
        try {
            AMQP.Queue.DeclareOk queue = channel.queueDeclarePassive(Topology.queue(kind));
            AMQP.Queue.DeclareOk deadLetters = channel.queueDeclarePassive(Topology.deadLetterQueue(kind));
            return new Counts(queue.getMessageCount(), queue.getConsumerCount(), deadLetters.getMessageCount());
        } catch (Exception e) {
            closeQuietly();
            throw e;
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }

    private double[] register(String kind) {
        double[] kindValues = {Double.NaN, Double.NaN, Double.NaN};
        Gauge.builder(MESSAGES, kindValues, v -> v[0]).tag("kind", kind)
                .description("messages waiting in the kind's queue").register(meters);
        Gauge.builder(CONSUMERS, kindValues, v -> v[1]).tag("kind", kind)
                .description("consumers of the kind's queue (0: no worker runs the kind)").register(meters);
        Gauge.builder(DEAD_LETTERS, kindValues, v -> v[2]).tag("kind", kind)
                .description("messages in the kind's dead-letter queue").register(meters);
        return kindValues;
    }

    /** A channel on this reader's connection (opened again after a failure); a passive declare that fails closes it. */
    private synchronized Channel channel() throws Exception {
        if (connection == null || !connection.isOpen()) {
            connection = topology.connectionFactory().newConnection("offload-queue-meters");
        }
        return connection.createChannel();
    }

    private synchronized void closeQuietly() {
        if (connection != null) {
            try {
                connection.abort(1000);
            } catch (RuntimeException e) {
                LOG.debugf("closing the queue meters' connection: %s", e.getMessage());
            }
            connection = null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        closeQuietly();
    }
}
