package dev.offload.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GET /api/v1/queues: each kind's queue and dead-letter queue as the broker counts them, for admins only. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class QueueResourceTest {

    @Inject
    Topology topology;

    private long deadLetters(String admin, String kind) {
        return ((Number) given().header("Authorization", Tokens.bearer(admin)).when().get("/api/v1/queues")
                .then().statusCode(200).extract().jsonPath()
                .param("kind", kind).get("find { it.kind == kind }.dead_letters")).longValue();
    }

    @Test
    void shouldCountADeadLetteredMessageOfAKind() throws Exception {
        String admin = Tokens.admin(Tokens.newUser());
        given().header("Authorization", Tokens.bearer(admin)).when().get("/api/v1/queues")
                .then().statusCode(200)
                .body("find { it.kind == 'canary' }.queue", org.hamcrest.Matchers.equalTo("offload.canary"))
                .body("find { it.kind == 'canary' }.dead_letter_queue", org.hamcrest.Matchers.equalTo("offload.canary.dlq"))
                .body("find { it.kind == 'canary' }.consumers", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        long before = deadLetters(admin, "canary");
        try (Connection connection = topology.connectionFactory().newConnection("queue-resource-test");
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.DEAD_LETTER_EXCHANGE, "canary", null, "{}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5000);
            try {
                assertEquals(before + 1, deadLetters(admin, "canary"));
            } finally {
                assertNotNull(channel.basicGet(Topology.deadLetterQueue("canary"), true), "the test's letter is taken back");
            }
        }
    }

    @Test
    void shouldRefuseQueuesToOtherUsers() {
        given().header("Authorization", Tokens.bearer(Tokens.user(Tokens.newUser()))).when().get("/api/v1/queues")
                .then().statusCode(403);
    }
}
