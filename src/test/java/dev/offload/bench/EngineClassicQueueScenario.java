package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
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
        Map<String, String> settings = EngineEndToEndScenario.tuned(env.baseConfig("all"));
        settings.put("offload.queue.type", "classic");
        ServiceProcess all = env.start("e2e-classic", settings);
        try (Connection c = env.connect()) {
            return EngineEndToEndScenario.oneProcess(env, c, all, "classic", null);
        }
    }

    @Override
    public Map<String, Double> references() {
        return Map.of("completed_per_s", 801.0, "client_p50_ms_at_200_per_s", 2.1, "client_p99_ms_at_200_per_s", 2.9);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("completed_per_s", ">= 1,600", "client_p50_ms_at_200_per_s", "<= 2", "client_p99_ms_at_200_per_s", "<= 3");
    }
}
