package dev.offload.bench;

import static org.awaitility.Awaitility.await;

import dev.offload.support.ServiceProcess;
import dev.offload.support.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Submission: clients POSTing canary jobs over HTTP with tokens, against an api-role process (the
 * jobs queue up; nothing runs them), at saturation and at 1,000 jobs/s offered. Checks every accepted
 * job is a row and is confirmed by the broker.
 */
public class EngineSubmitScenario implements Scenario {

    @Override
    public String name() {
        return "engine-submit";
    }

    @Override
    public String description() {
        return "POST /api/v1/canaries: accepted jobs/s at saturation, 202 latency at 1,000 jobs/s offered";
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        ServiceProcess api = env.start("submit-api", env.baseConfig("api"));
        String token = Tokens.admin("bench-submit");
        Map<String, Double> figures = new LinkedHashMap<>();
        long acceptedTotal = 0;
        try (Load load = new Load(api.port(), 64, "/api/v1/canaries", token, "{\"sleep_ms\":0}")) {
            acceptedTotal += load.closedLoop(32, Duration.ofSeconds(env.size(15, 60))).accepted(); // warm-up: the JIT needs a minute
            Load.Result saturated = load.closedLoop(64, Duration.ofSeconds(env.size(8, 30)));
            acceptedTotal += saturated.accepted();
            figures.put("accepted_per_s", saturated.acceptedPerSecond());
            figures.put("p50_ms_at_saturation", saturated.p(50));
            figures.put("p99_ms_at_saturation", saturated.p(99));
            figures.put("failed_at_saturation", (double) saturated.failed());
            // The rate is offered once the service has caught up with the saturation run (every job it
            // accepted confirmed by the broker and marked), not while it still drains that backlog; it is
            // measured twice in a row: the first period right after the saturation run (the JIT recompiles
            // for the lower rate, PostgreSQL still vacuums and checkpoints), then the steady one, which the
            // target applies to.
            try (Connection c = env.connect()) {
                awaitPublished(c);
            }
            Duration rated = Duration.ofSeconds(env.size(5, 15));
            Load.Result first = load.openLoop(1000, rated);
            acceptedTotal += first.accepted();
            figures.put("p50_ms_first_at_1000_per_s", first.p(50));
            figures.put("p99_ms_first_at_1000_per_s", first.p(99));
            Load.Result steady = load.openLoop(1000, rated);
            acceptedTotal += steady.accepted();
            figures.put("p50_ms_at_1000_per_s", steady.p(50));
            figures.put("p99_ms_at_1000_per_s", steady.p(99));
            figures.put("failed_at_1000_per_s", (double) (first.failed() + steady.failed()));
        }
        long accepted = acceptedTotal;
        try (Connection c = env.connect()) {
            // Every accepted job is durable (a row) and, soon after, confirmed by the broker.
            long rows = count(c, "SELECT count(*) FROM job WHERE owner = 'bench-submit'");
            figures.put("accepted_without_row", (double) (accepted - rows));
            awaitPublished(c);
        }
        figures.put("peak_rss_mb", BenchEnv.peakRssMb(api.pid()));
        env.stop(api);
        figures.put("pg_submit_tx_per_s", Baselines.pgbench(env, Baselines.SUBMIT_TX, 16, Duration.ofSeconds(env.size(5, 15))));
        figures.putAll(Baselines.rabbit(env, Duration.ofSeconds(env.size(5, 15)), false));
        figures.put("celery_accepted_per_s", Baselines.celery(env, Duration.ofSeconds(env.size(5, 30)), Duration.ZERO)
                .get("celery_accepted_per_s"));
        return figures;
    }

    /** Every job of the run confirmed by the broker: none has a job_unconfirmed row. */
    private static void awaitPublished(Connection c) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> count(c, "SELECT count(*) FROM job_unconfirmed u JOIN job j ON j.id = u.job_id"
                        + " WHERE j.owner = 'bench-submit'") == 0);
    }

    static long count(Connection c, String sql) throws java.sql.SQLException {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(new Ratio("accepted / PostgreSQL submit tx", "accepted_per_s", "pg_submit_tx_per_s"),
                new Ratio("accepted / RabbitMQ confirmed publishes", "accepted_per_s", "rabbit_confirmed_per_s"),
                new Ratio("accepted / Celery accepted", "accepted_per_s", "celery_accepted_per_s"));
    }

    @Override
    public Map<String, Double> references() {
        return Map.of("accepted_per_s", 1200.0, "p99_ms_at_saturation", 6.4);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("accepted_per_s", ">= 2,400", "p99_ms_at_1000_per_s", "<= 10", "accepted_without_row", "0");
    }
}
