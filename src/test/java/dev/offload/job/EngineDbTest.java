package dev.offload.job;

import dev.offload.db.EngineDb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServicesResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The engine's connections may only plan keyed lookups, and plan each statement once. */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class EngineDbTest {

    @Inject
    EngineDb db;

    private String setting(String name) {
        Row row = db.pool().query("SELECT current_setting('" + name + "')").execute()
                .await().atMost(Duration.ofSeconds(30)).iterator().next();
        return row.getString(0);
    }

    @Test
    void engineConnectionsPlanKeyedLookupsOnce() {
        assertEquals("off", setting("enable_seqscan"));
        assertEquals("off", setting("enable_hashjoin"));
        assertEquals("off", setting("enable_mergejoin"));
        assertEquals("force_generic_plan", setting("plan_cache_mode"));
    }

    @Test
    void aPreparedStatementIsPlannedOnceNeverPerParameters() {
        String sql = "SELECT count(*) FROM job WHERE id = $1 AND state = $2";
        Row plans = db.pool().withConnection(connection -> {
            var statement = connection.preparedQuery(sql);
            io.smallrye.mutiny.Uni<?> runs = io.smallrye.mutiny.Uni.createFrom().voidItem();
            for (int i = 0; i < 8; i++) {
                runs = runs.chain(() -> statement.execute(Tuple.of(UUID.randomUUID(), "created")));
            }
            return runs.chain(() -> connection.preparedQuery(
                            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
                    .execute(Tuple.of(sql)))
                    .map(rows -> rows.iterator().next());
        }).await().atMost(Duration.ofSeconds(30));
        assertEquals(8L, plans.getLong("generic_plans"));
        assertEquals(0L, plans.getLong("custom_plans"));
    }

    /** The plan PostgreSQL keeps for {@code sql} on an engine connection, as text. */
    private String keptPlan(String sql, String types, String arguments) {
        return db.pool().withConnection(connection -> connection.query("PREPARE kept(" + types + ") AS " + sql).execute()
                .chain(() -> connection.query("EXPLAIN EXECUTE kept(" + arguments + ")").execute())
                .call(() -> connection.query("DEALLOCATE kept").execute())
                .map(rows -> {
                    StringBuilder plan = new StringBuilder();
                    rows.forEach(row -> plan.append(row.getString(0)).append('\n'));
                    return plan.toString();
                })).await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void confirmsAndTheRelayReadUnconfirmedWakeupsByIndexWhateverTheTableHolds() {
        // Planned once and kept: with job_unconfirmed empty or full, the confirm finds its rows by key and
        // the relay reads the oldest first, never the whole table. (The published flag this replaced had its
        // confirm planned over the whole "not published" index: at saturation it fell ever further behind.)
        String mark = keptPlan(JobPublisher.MARK_SQL, "uuid[], timestamptz[]", "ARRAY[gen_random_uuid()], ARRAY[now()]");
        assertTrue(mark.contains("Index Scan using job_unconfirmed_pkey"), mark);
        assertFalse(mark.contains("Seq Scan") || mark.contains("job_unconfirmed_queued_idx"), mark);

        String relay = keptPlan(JobRelay.OLDEST_SQL, "timestamptz, int", "now(), 500");
        assertTrue(relay.contains("Index Scan using job_unconfirmed_queued_idx"), relay);
        assertTrue(relay.contains("Index Scan using job_pkey"), relay);
        assertFalse(relay.contains("Seq Scan") || relay.contains("Sort"), relay);

        // The stranded-job pass reads only the jobs that may be waiting (a partial index), oldest first.
        String stale = keptPlan(JobRelay.STALE_SQL, "text[], timestamptz, int, timestamptz",
                "ARRAY['created'], now(), 500, now()");
        assertTrue(stale.contains("job_waiting_idx"), stale);
        assertFalse(stale.contains("Seq Scan"), stale);
    }
}
