package dev.offload.job;

import dev.offload.config.OffloadConfig;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Declares the broker topology at start, in every role, so a message published by an API-only pod
 * has a queue to land in before any worker ran: the {@value #EXCHANGE} exchange, one durable queue per
 * kind (routing key = kind; quorum with a delivery limit by default, or classic), and a dead-letter
 * exchange and queue per kind. A queue's type is fixed when it is first declared.
 */
@ApplicationScoped
public class Topology {

    public static final String EXCHANGE = "offload";
    public static final String DEAD_LETTER_EXCHANGE = "offload.dlx";
    /** Replicated, with a delivery limit after which a message is dead-lettered: the default. */
    public static final String QUORUM = "quorum";
    /** Lower broker latency (see the broker-latency benchmark), no delivery limit. */
    public static final String CLASSIC = "classic";
    private static final Logger LOG = Logger.getLogger(Topology.class);

    private final JobKinds kinds;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final int deliveryLimit;
    private final String queueType;
    private final AtomicBoolean declared = new AtomicBoolean();
    private volatile String problem = "not declared yet";

    @jakarta.inject.Inject
    public Topology(JobKinds kinds,
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            OffloadConfig config) {
        this(kinds, host, port, username, password, virtualHost, config.queue().deliveryLimit(), config.queue().type());
    }

    Topology(JobKinds kinds, String host, int port, String username, String password, String virtualHost,
            int deliveryLimit, String queueType) {
        this.kinds = kinds;
        this.deliveryLimit = deliveryLimit;
        if (!QUORUM.equals(queueType) && !CLASSIC.equals(queueType)) {
            throw new IllegalArgumentException("offload.queue.type must be quorum or classic, not " + queueType);
        }
        this.queueType = queueType;
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(5000);
        factory.setExceptionHandler(new QuietDriverErrors());
    }

    /**
     * The client's handler warns of every socket a refused connection leaves behind ("An unexpected connection
     * driver error occurred") and logs an ERROR with a stack trace at every failed recovery attempt that is not a
     * plain refused connection (a broker starting, a proxy closing the socket). The engine already names the
     * cause once per change of state (here and in {@link JobConsumers}) and shows it in the
     * {@code offload_broker_connected} gauge, so those go to DEBUG.
     */
    private static final class QuietDriverErrors extends com.rabbitmq.client.impl.ForgivingExceptionHandler {
        @Override
        public void handleUnexpectedConnectionDriverException(com.rabbitmq.client.Connection connection,
                Throwable exception) {
            LOG.debugf("broker connection driver: %s", exception.getMessage());
        }

        @Override
        public void handleConnectionRecoveryException(com.rabbitmq.client.Connection connection,
                Throwable exception) {
            LOG.debugf("broker connection recovery failed, tried again later: %s", JobConsumers.reason(exception));
        }
    }

    /** A copy of the broker settings, for a connection of the caller's own. */
    public ConnectionFactory connectionFactory() {
        return factory.clone();
    }

    public static String queue(String kind) {
        return EXCHANGE + "." + kind;
    }

    public static String deadLetterQueue(String kind) {
        return queue(kind) + ".dlq";
    }

    /** A durable exchange the service declares. */
    public record Exchange(String name, String type) {
    }

    /** A durable queue the service declares, with its arguments; {@code kind} is the kind it serves. */
    public record Queue(String name, String kind, boolean deadLetters, Map<String, Object> arguments) {
    }

    /** A binding of a queue to an exchange by routing key. */
    public record Binding(String exchange, String queue, String routingKey) {
    }

    /** The exchanges, in the order they are declared. */
    public List<Exchange> exchanges() {
        return List.of(new Exchange(EXCHANGE, "direct"), new Exchange(DEAD_LETTER_EXCHANGE, "direct"));
    }

    /**
     * Every queue, derived from the kinds: each kind's queue (routing key = kind; quorum with a delivery limit by
     * default, or classic) and its dead-letter queue. What {@link #declareIfNeeded()} declares and what
     * {@code offload topology --definitions} prints, so the broker definitions file cannot say otherwise.
     */
    public List<Queue> queues() {
        List<Queue> queues = new ArrayList<>();
        for (JobKind<?> kind : kinds.all()) {
            String name = kind.name();
            Map<String, Object> arguments = new TreeMap<>(Map.of(
                    "x-queue-type", queueType,
                    "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                    "x-dead-letter-routing-key", name));
            if (QUORUM.equals(queueType)) {
                arguments.put("x-delivery-limit", deliveryLimit); // classic queues have none
            }
            queues.add(new Queue(queue(name), name, false, arguments));
            queues.add(new Queue(deadLetterQueue(name), name, true, new TreeMap<>(Map.of("x-queue-type", queueType))));
        }
        return queues;
    }

    /** Each kind's queue bound to {@value #EXCHANGE}, and its dead-letter queue to {@value #DEAD_LETTER_EXCHANGE}. */
    public List<Binding> bindings() {
        List<Binding> bindings = new ArrayList<>();
        for (JobKind<?> kind : kinds.all()) {
            bindings.add(new Binding(EXCHANGE, queue(kind.name()), kind.name()));
            bindings.add(new Binding(DEAD_LETTER_EXCHANGE, deadLetterQueue(kind.name()), kind.name()));
        }
        return bindings;
    }

    /** The virtual host this process uses. */
    public String virtualHost() {
        return factory.getVirtualHost();
    }

    void onStart(@Observes @Priority(10) StartupEvent event, OffloadConfig config) {
        if (config.role().isService()) {
            declareIfNeeded();
        }
    }

    /** Declares the topology unless done already; true when it is in place. Declaring is idempotent. */
    public boolean declareIfNeeded() {
        if (declared.get()) {
            return true;
        }
        try (Connection connection = factory.newConnection("offload-topology");
                Channel channel = connection.createChannel()) {
            for (Exchange exchange : exchanges()) {
                channel.exchangeDeclare(exchange.name(), exchange.type(), true);
            }
            for (Queue queue : queues()) {
                channel.queueDeclare(queue.name(), true, false, false, queue.arguments());
            }
            for (Binding binding : bindings()) {
                channel.queueBind(binding.queue(), binding.exchange(), binding.routingKey());
            }
            declared.set(true);
            LOG.infof("broker topology declared: exchange %s, %s queues for %s", EXCHANGE, queueType,
                    kinds.all().stream().map(JobKind::name).toList());
            return true;
        } catch (Exception e) {
            String reason = JobConsumers.reason(e);
            if (!reason.equals(problem)) { // once per change, not at every try
                LOG.warnf("cannot declare the broker topology yet: %s", reason);
            }
            problem = reason;
            return false;
        }
    }

    /** Why the topology could not be declared the last time it was tried. */
    public String problem() {
        return problem;
    }
}
