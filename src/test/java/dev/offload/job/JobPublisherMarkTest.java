package dev.offload.job;

import dev.offload.db.EngineDb;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Recording confirmed wake-ups (deleting their {@code job_unconfirmed} rows): a late confirm of an earlier
 * queueing leaves the row of the later one; when the database cannot be reached the run ends (the next
 * scheduled one retries) instead of retrying the same full batch again and again at once.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class JobPublisherMarkTest {

    @Inject
    Topology topology;

    @Inject
    Vertx vertx;

    @Inject
    EngineDb db;

    private long unconfirmedRows(UUID id, OffsetDateTime queuedAt) {
        return db.pool().preparedQuery("SELECT count(*) FROM job_unconfirmed WHERE job_id = $1 AND queued_at = $2")
                .execute(Tuple.of(id, queuedAt)).await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }

    @Test
    void aConfirmRemovesTheRowOfItsOwnQueueingOnly() {
        UUID id = UUID.randomUUID();
        OffsetDateTime first = dev.offload.db.Timestamps.now().minusSeconds(5);
        OffsetDateTime again = dev.offload.db.Timestamps.now();
        // The job was queued again since its first wake-up (a reaper's retry): its row is the later queueing's.
        db.pool().preparedQuery("INSERT INTO job_unconfirmed (job_id, queued_at) VALUES ($1, $2)")
                .execute(Tuple.of(id, again)).await().atMost(Duration.ofSeconds(30));
        // Not a bean: nothing but this test runs its marking. The routing key has no queue: the broker
        // confirms and drops the message.
        JobPublisher publisher = new JobPublisher(topology, db);
        try {
            publisher.publish("unrouted", id, first).await().atMost(Duration.ofSeconds(30));
            publisher.markConfirmed().await().atMost(Duration.ofSeconds(30));
            assertEquals(0, publisher.awaitingMark());
            assertEquals(1, unconfirmedRows(id, again), "the late confirm of the first wake-up left the row");

            publisher.publish("unrouted", id, again).await().atMost(Duration.ofSeconds(30));
            publisher.markConfirmed().await().atMost(Duration.ofSeconds(30));
            assertEquals(0, unconfirmedRows(id, again), "the confirm of its own wake-up removed it");
        } finally {
            publisher.stop(null);
        }
    }

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
                confirms.add(publisher.publish("unrouted", UUID.randomUUID(), dev.offload.db.Timestamps.now()));
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
