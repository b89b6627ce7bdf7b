package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Marking confirmed jobs published when the database cannot be reached: the run ends (the next
 * scheduled one retries) instead of retrying the same full batch again and again at once.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class JobPublisherMarkTest {

    @Inject
    Topology topology;

    @Inject
    Vertx vertx;

    @Test
    void aFailedMarkEndsTheRunAndKeepsTheIdsForTheNext() throws Exception {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        EngineDb unreachable = new EngineDb(vertx, "postgresql://127.0.0.1:" + nobodyListens + "/offload",
                Optional.of("postgres"), Optional.empty(), 1);
        JobPublisher publisher = new JobPublisher(topology, unreachable);
        try {
            // More than one batch (1,000) confirmed by the real broker, so the drain would go on.
            List<Uni<Void>> confirms = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                confirms.add(publisher.publish("canary", UUID.randomUUID()));
            }
            Uni.join().all(confirms).andFailFast().await().atMost(Duration.ofSeconds(30));

            assertEquals(1500, publisher.awaitingMark());
            publisher.markConfirmed().await().atMost(Duration.ofSeconds(30));
            assertEquals(1500, publisher.awaitingMark(), "the ids wait for the next run");
        } finally {
            publisher.stop(null);
            unreachable.pool().closeAndAwait();
        }
    }
}
