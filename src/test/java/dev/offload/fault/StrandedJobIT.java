package dev.offload.fault;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No job is stranded whatever happens to its message: a wake-up the broker confirmed and then dead-lettered
 * (as one whose claim failed up to the queue's delivery limit is) leaves the job waiting with nothing in its
 * queue; the relay wakes it again once it has waited {@code offload.relay.stale-after}, and a worker runs it.
 */
class StrandedJobIT {

    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("stranded");
    private final String admin = Tokens.admin(Tokens.newUser());

    private static Map<String, String> config(String role) {
        Map<String, String> config = SERVICES.config(role);
        config.put("offload.relay.every", "1s");
        config.put("offload.relay.after", "2s");
        config.put("offload.relay.stale-after", "4s");
        return config;
    }

    @Test
    void shouldRunAJobWhoseConfirmedWakeUpWasDeadLettered() throws Exception {
        try (ServiceProcess api = ServiceProcess.start("stranded-api", config("api"))) {
            String id = given().baseUri(api.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .contentType(ContentType.JSON).body(Map.of()).post("/api/v1/canaries")
                    .then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(10)).until(() -> confirmed(id));

            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(TestServices.MQ_HOST);
            factory.setPort(TestServices.MQ_PORT);
            factory.setUsername(TestServices.MQ_USER);
            factory.setPassword(TestServices.MQ_PASSWORD);
            factory.setVirtualHost(SERVICES.vhost());
            try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
                // Every wake-up of the job (the relay may have sent one more before the confirm was recorded).
                int rejected = 0;
                for (GetResponse wakeUp; (wakeUp = channel.basicGet("offload.canary", false)) != null; rejected++) {
                    assertTrue(new String(wakeUp.getBody()).contains(id));
                    channel.basicReject(wakeUp.getEnvelope().getDeliveryTag(), false); // dead-lettered
                }
                assertTrue(rejected >= 1, "the job's wake-up was in its queue");
                int deadLettered = rejected;
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> channel.messageCount("offload.canary.dlq") == deadLettered);
                assertEquals(0, channel.messageCount("offload.canary"), "nothing is left to wake the job");
            }
            assertEquals("created", state(id));

            try (ServiceProcess worker = ServiceProcess.start("stranded-worker", config("worker"))) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "success".equals(state(id)));
            }
            assertTrue(woken(id), "the relay woke the job as stranded (job.woken_at)");
        }
    }

    private static boolean confirmed(String id) throws Exception {
        return number("SELECT count(*) FROM job_unconfirmed WHERE job_id = ?", id) == 0
                && number("SELECT count(*) FROM job WHERE id = ?", id) == 1;
    }

    private static String state(String id) throws Exception {
        try (var c = TestServices.connect(SERVICES.database());
                PreparedStatement s = c.prepareStatement("SELECT state FROM job WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean woken(String id) throws Exception {
        return number("SELECT count(*) FROM job WHERE id = ? AND woken_at IS NOT NULL", id) == 1;
    }

    private static long number(String sql, String id) throws Exception {
        try (var c = TestServices.connect(SERVICES.database()); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
