package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code offload.batching.max-in-flight} 1 (the default) against 3, interleaved (1, 3, 1, 3, a fresh
 * process each, api and worker in one): completed jobs/s at saturation, and submit -> success at 200
 * jobs/s as a client sees it, each the median of the setting's periods. With one statement of a kind
 * in flight, a job that arrives while that statement is slow waits for it; with three it goes out at
 * once on another connection, but batches are smaller under load.
 */
public class EngineInFlightScenario implements Scenario {

    private static final List<String> SETTINGS = List.of("1", "3", "1", "3");

    @Override
    public String name() {
        return "engine-in-flight";
    }

    @Override
    public String description() {
        return "group commit with 1 or 3 statements of a kind in flight: completed jobs/s, latency at 200 jobs/s";
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        // Per setting, one map per period at 200/s, each with its process's completed jobs/s (two periods per
        // process, so each process weighs the same in the median).
        Map<String, List<Map<String, Double>>> periods = new LinkedHashMap<>();
        try (Connection c = env.connect()) {
            for (int i = 0; i < SETTINGS.size(); i++) {
                String setting = SETTINGS.get(i);
                Map<String, String> config = EngineEndToEndScenario.tuned(env.baseConfig("all"));
                config.put("offload.batching.max-in-flight", setting);
                ServiceProcess service = env.start("in-flight-" + i, config);
                EngineEndToEndScenario.saturate(c, service, "warmup-" + i, Duration.ofSeconds(env.size(15, 60)));
                double completed = EngineEndToEndScenario.saturate(c, service, "sat-" + i,
                        Duration.ofSeconds(env.size(8, 20))).get("completed_per_s");
                Duration rated = Duration.ofSeconds(env.size(5, 20));
                EngineEndToEndScenario.offered(env, c, service, "after-sat-" + i, 200, rated); // the JIT settles
                for (int period = 0; period < 2; period++) {
                    Map<String, Double> m = EngineEndToEndScenario.offered(env, c, service, "rated-" + i + "-" + period,
                            200, rated);
                    Map<String, Double> figures = new LinkedHashMap<>();
                    figures.put("completed_per_s", completed);
                    figures.put("client_p50_ms_at_200_per_s", m.get("client_p50_ms"));
                    figures.put("client_p99_ms_at_200_per_s", m.get("client_p99_ms"));
                    periods.computeIfAbsent(setting, k -> new ArrayList<>()).add(figures);
                }
                env.stop(service);
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        periods.forEach((setting, runs) -> Stats.medianOfEach(runs).forEach((figure, median) ->
                figures.put(figure + "_in_flight_" + setting, median)));
        return figures;
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(
                new Ratio("completed/s, 3 in flight / 1", "completed_per_s_in_flight_3", "completed_per_s_in_flight_1"),
                new Ratio("client p50 at 200/s, 3 in flight / 1", "client_p50_ms_at_200_per_s_in_flight_3",
                        "client_p50_ms_at_200_per_s_in_flight_1"),
                new Ratio("client p99 at 200/s, 3 in flight / 1", "client_p99_ms_at_200_per_s_in_flight_3",
                        "client_p99_ms_at_200_per_s_in_flight_1"));
    }
}
