package dev.offload.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's own share of a job's latency: a persistent message published with confirms to a
 * durable queue, from publish to delivery at a consumer, at 500 messages/s — for the quorum queues
 * the engine uses and, for comparison, a classic queue. Nothing of Offload runs.
 */
public class BrokerLatencyScenario implements Scenario {

    private static final int RATE = 500;

    @Override
    public String name() {
        return "broker-latency";
    }

    @Override
    public String description() {
        return "RabbitMQ alone: publish -> delivery latency at 500 msg/s, quorum and classic queues";
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        ConnectionFactory factory = Baselines.rabbitFactory(env);
        int messages = RATE * env.size(5, 15);
        Map<String, Double> figures = new LinkedHashMap<>();
        try (Connection publisher = factory.newConnection("latency-publisher");
                Connection consumer = factory.newConnection("latency-consumer")) {
            for (String type : List.of("quorum", "classic")) {
                long[] latencies = measure(publisher, consumer, type, messages);
                figures.put(type + "_p50_ms", Stats.percentileMs(latencies, 50));
                figures.put(type + "_p99_ms", Stats.percentileMs(latencies, 99));
            }
        }
        return figures;
    }

    /** Publish → delivery of {@code messages} messages, the first fifth left out (connection and queue warm-up). */
    private static long[] measure(Connection publisher, Connection consumer, String type, int messages) throws Exception {
        String queue = "latency." + type + "." + System.nanoTime();
        Channel out = publisher.createChannel();
        out.queueDeclare(queue, true, false, false, Map.of("x-queue-type", type));
        out.confirmSelect();
        Channel in = consumer.createChannel();
        in.basicQos(32);
        long[] latencies = new long[messages];
        AtomicInteger received = new AtomicInteger();
        in.basicConsume(queue, false, (tag, delivery) -> {
            long sent = Long.parseLong(new String(delivery.getBody(), StandardCharsets.US_ASCII));
            int n = received.getAndIncrement();
            if (n < messages) {
                latencies[n] = System.nanoTime() - sent;
            }
            in.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long next = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            out.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC,
                    Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
            next += interval;
        }
        out.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.get() >= messages);
        out.queueDelete(queue);
        return java.util.Arrays.copyOfRange(latencies, messages / 5, messages);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("quorum_p99_ms", "(engine's whole submit -> success target: <= 3)");
    }
}
