package dev.offload.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay against the real database and broker: one pass republishes a backlog of any size, a batch
 * at a time, each batch once the broker confirmed the one before it.
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
@TestProfile(JobRelayTest.SmallBatches.class)
class JobRelayTest {

    /** Batches of 25, and no scheduled pass (the test runs the one pass itself). */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("offload.relay.batch", "25", "offload.relay.every", "1h");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    JobRelay relay;

    @Inject
    Pool pool;

    private long count(String sql, String owner) {
        return pool.preparedQuery(sql).execute(Tuple.of(owner)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    @Test
    void onePassRepublishesAWholeBacklogBatchByBatch() {
        String owner = "relay-" + Tokens.newUser();
        // 110 jobs whose wake-up was never confirmed, queued a minute ago: 4 full batches and a short one.
        pool.preparedQuery("""
                WITH j AS (INSERT INTO job (id, kind, owner, state, attempt, max_attempts, published, progress_done,
                               created_at, queued_at)
                           SELECT gen_random_uuid(), 'canary', $1, 'created', 0, 3, false, 0,
                                  now() - interval '1 minute', now() - interval '1 minute' + n * interval '1 millisecond'
                           FROM generate_series(1, 110) n RETURNING id)
                INSERT INTO canary_job (job_id, sleep_ms, fail, progress_steps) SELECT id, 0, false, 0 FROM j""")
                .execute(Tuple.of(owner)).await().atMost(WAIT);

        relay.relay().await().atMost(WAIT);

        // Every one was published and confirmed in that pass: each is marked published and each runs.
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM job WHERE owner = $1 AND published", owner) == 110);
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM job WHERE owner = $1 AND state = 'success'", owner) == 110);
        assertEquals(0, count("SELECT count(*) FROM job WHERE owner = $1 AND NOT published", owner));
    }
}
