package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end-to-end scenario (api and worker in one process) with {@code offload.queue.type=classic}:
 * what the broker's lower latency (see {@code broker-latency}) gives a whole job, against the same
 * targets. The queues are declared classic in this scenario's own virtual host.
 */
public class EngineClassicQueueScenario implements Scenario {

    @Override
    public String name() {
        return "engine-e2e-classic";
    }

    @Override
    public String description() {
        return "engine-e2e in one process on classic queues: completed jobs/s, latency at 200 jobs/s";
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, String> settings = EngineEndToEndScenario.tuned(env.baseConfig("all"));
        settings.put("offload.queue.type", "classic");
        ServiceProcess all = env.start("e2e-classic", settings);
        try (Connection c = env.connect()) {
            EngineEndToEndScenario.saturate(env, c, all, "warmup-classic", Duration.ofSeconds(env.size(15, 60)));
            Map<String, Double> one = EngineEndToEndScenario.saturate(env, c, all, "sat-classic",
                    Duration.ofSeconds(env.size(8, 20)));
            figures.put("completed_per_s", one.get("completed_per_s"));
            Map<String, Double> steady = EngineEndToEndScenario.offered(env, c, all, "steady-classic", 200,
                    Duration.ofSeconds(env.size(5, 20)));
            figures.put("p50_ms_at_200_per_s", steady.get("p50_ms"));
            figures.put("p99_ms_at_200_per_s", steady.get("p99_ms"));
            figures.put("peak_rss_mb", BenchEnv.peakRssMb(all.pid()));
        }
        return figures;
    }

    @Override
    public Map<String, Double> references() {
        return Map.of("completed_per_s", 801.0, "p50_ms_at_200_per_s", 2.1, "p99_ms_at_200_per_s", 2.9);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("completed_per_s", ">= 1,600", "p50_ms_at_200_per_s", "<= 2", "p99_ms_at_200_per_s", "<= 3");
    }
}
