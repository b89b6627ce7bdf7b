package dev.offload.bench;

import static org.awaitility.Awaitility.await;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Growth: the end-to-end run with 10k and then 1M finished jobs (and their logs) already in the tables.
 * Claim, reaper and relay use indexes on what they query, so the rate should not depend on history.
 */
public class EngineGrowthScenario implements Scenario {

    @Override
    public String name() {
        return "engine-growth";
    }

    @Override
    public String description() {
        return "end to end with 10k and with 1M finished jobs already stored (quick: 10k and 100k)";
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        ServiceProcess all = env.start("growth", EngineEndToEndScenario.tuned(env.baseConfig("all")));
        try (Connection c = env.connect()) {
            EngineEndToEndScenario.saturate(c, all, "growth-warmup", Duration.ofSeconds(env.size(15, 60)));
            int large = env.size(100_000, 1_000_000);
            seed(c, 10_000);
            measure(env, c, all, "10k", figures);
            seed(c, large - 10_000);
            measure(env, c, all, large == 1_000_000 ? "1m" : "100k", figures);
        }
        return figures;
    }

    private static void measure(BenchEnv env, Connection c, ServiceProcess all, String label, Map<String, Double> figures)
            throws Exception {
        long scannedBefore = rowsReadBySequentialScans(c);
        Map<String, Double> sat = EngineEndToEndScenario.saturate(c, all, "growth-sat-" + label,
                Duration.ofSeconds(env.size(8, 20)));
        Map<String, Double> steady = EngineEndToEndScenario.offered(env, c, all, "growth-steady-" + label, 200,
                Duration.ofSeconds(env.size(5, 10)));
        figures.put("completed_per_s_" + label, sat.get("completed_per_s"));
        figures.put("p99_ms_at_200_per_s_" + label, steady.get("p99_ms"));
        // "Nothing scans the whole table": job rows read by sequential scans while this phase ran.
        figures.put("job_rows_seq_scanned_" + label, (double) (rowsReadBySequentialScans(c) - scannedBefore));
    }

    /**
     * Job rows read by sequential scans so far, once PostgreSQL's statistics have settled: a busy
     * backend reports its counters at most every second, an idle one within ten, so the figure is
     * read when it has not changed for eleven seconds.
     */
    private static long rowsReadBySequentialScans(Connection c) {
        String sql = "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'job'";
        AtomicLong last = new AtomicLong(-1);
        await().during(Duration.ofSeconds(11)).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> last.getAndSet(EngineSubmitScenario.count(c, sql)) == last.get());
        return last.get();
    }

    /** Finished jobs with their kind rows and three log rows each, written directly. */
    static void seed(Connection c, int jobs) throws Exception {
        try (var s = c.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE seed AS SELECT gen_random_uuid() AS id, g FROM generate_series(1, %d) g;
                    INSERT INTO job (id, kind, owner, state, attempt, max_attempts, progress_done,
                                     created_at, queued_at, started_at, finished_at)
                    SELECT id, 'canary', 'seed-' || (g %% 500), 'success', 1, 3, 0,
                           now() - interval '30 days' + g * interval '1 ms', now() - interval '30 days' + g * interval '1 ms',
                           now() - interval '30 days' + g * interval '1 ms', now() - interval '30 days' + g * interval '2 ms'
                    FROM seed;
                    INSERT INTO canary_job (job_id, sleep_ms, fail, progress_steps) SELECT id, 0, false, 0 FROM seed;
                    INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor)
                    SELECT id, 'canary', t.transition, t.from_state, t.to_state, now() - interval '30 days', 'seed'
                    FROM seed CROSS JOIN (VALUES ('create', NULL, 'created'), ('start', 'created', 'running'),
                                                 ('succeed', 'running', 'success')) AS t(transition, from_state, to_state);
                    DROP TABLE seed;
                    ANALYZE job; ANALYZE transition_log;
                    """.formatted(jobs));
        }
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(new Ratio("large / 10k (completed/s)", "completed_per_s_1m", "completed_per_s_10k"),
                new Ratio("100k / 10k (completed/s)", "completed_per_s_100k", "completed_per_s_10k"));
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("large / 10k (completed/s)", "~1 (no slow-down)", "job_rows_seq_scanned_1m", "0",
                "job_rows_seq_scanned_100k", "0");
    }
}
