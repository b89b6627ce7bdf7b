package dev.offload.job;

import dev.offload.config.OffloadConfig;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
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
     * driver error occurred"), at every try; the engine already names the cause once per change of state
     * (here and in {@link JobConsumers}), so those go to DEBUG.
     */
    private static final class QuietDriverErrors extends com.rabbitmq.client.impl.ForgivingExceptionHandler {
        @Override
        public void handleUnexpectedConnectionDriverException(com.rabbitmq.client.Connection connection,
                Throwable exception) {
            LOG.debugf("broker connection driver: %s", exception.getMessage());
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
            channel.exchangeDeclare(EXCHANGE, "direct", true);
            channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, "direct", true);
            for (JobKind<?> kind : kinds.all()) {
                String name = kind.name();
                Map<String, Object> arguments = new java.util.HashMap<>(Map.of(
                        "x-queue-type", queueType,
                        "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                        "x-dead-letter-routing-key", name));
                if (QUORUM.equals(queueType)) {
                    arguments.put("x-delivery-limit", deliveryLimit); // classic queues have none
                }
                channel.queueDeclare(queue(name), true, false, false, arguments);
                channel.queueBind(queue(name), EXCHANGE, name);
                channel.queueDeclare(deadLetterQueue(name), true, false, false, Map.of("x-queue-type", queueType));
                channel.queueBind(deadLetterQueue(name), DEAD_LETTER_EXCHANGE, name);
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
