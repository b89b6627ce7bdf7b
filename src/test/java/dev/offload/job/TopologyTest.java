package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServicesResource;
import dev.offload.support.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The broker topology of each queue type, declared in a virtual host of the test's own and read back. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class TopologyTest {

    @Inject
    JobKinds kinds;

    private JsonObject declareAndRead(String type, String queue) {
        String vhost = TestServices.uniqueName("offload-topology");
        TestServices.createVirtualHost(vhost);
        try {
            Topology topology = new Topology(kinds, TestServices.MQ_HOST, TestServices.MQ_PORT, TestServices.MQ_USER,
                    TestServices.MQ_PASSWORD, vhost, 7, type);
            assertTrue(topology.declareIfNeeded());
            return new JsonObject(TestServices.queueInfo(vhost, queue));
        } finally {
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void shouldDeclareQuorumQueuesWithTheDeliveryLimitByDefault() {
        JsonObject queue = declareAndRead(Topology.QUORUM, Topology.queue("canary"));

        assertEquals("quorum", queue.getString("type"));
        assertEquals(7, queue.getJsonObject("arguments").getInteger("x-delivery-limit"));
        assertEquals(Topology.DEAD_LETTER_EXCHANGE, queue.getJsonObject("arguments").getString("x-dead-letter-exchange"));
    }

    @Test
    void shouldDeclareClassicQueuesWithoutADeliveryLimitWhenAsked() {
        JsonObject queue = declareAndRead(Topology.CLASSIC, Topology.queue("canary"));
        JsonObject deadLetters = declareAndRead(Topology.CLASSIC, Topology.deadLetterQueue("report"));

        assertEquals("classic", queue.getString("type"));
        assertFalse(queue.getJsonObject("arguments").containsKey("x-delivery-limit"));
        assertEquals(Topology.DEAD_LETTER_EXCHANGE, queue.getJsonObject("arguments").getString("x-dead-letter-exchange"));
        assertEquals("classic", deadLetters.getString("type"));
    }

    @Test
    void shouldRefuseAnUnknownQueueType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Topology(kinds,
                TestServices.MQ_HOST, TestServices.MQ_PORT, TestServices.MQ_USER, TestServices.MQ_PASSWORD, "/", 7, "lazy"));
        assertTrue(e.getMessage().contains("lazy"), e.getMessage());
    }
}
