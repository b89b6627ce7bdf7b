package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One setting of the service against another, interleaved (a fresh process each, api and worker in
 * one, in the order {@link #settings} gives): completed jobs/s at saturation, and at 200 jobs/s submit ->
 * success as a client sees it and the CPU per job, each the median of the setting's periods. Taking turns
 * in the same minutes, the two settings meet the same machine.
 */
abstract class SettingScenario implements Scenario {

    /** The configuration property compared. */
    abstract String property();

    /** Its values, in the order the processes run (each value as many times as the other). */
    abstract List<String> settings();

    /** The suffix of a value's figures. */
    abstract String label(String setting);

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        // Per setting, one map per period at 200/s, each with its process's completed jobs/s (two periods per
        // process, so each process weighs the same in the median).
        Map<String, List<Map<String, Double>>> periods = new LinkedHashMap<>();
        try (Connection c = env.connect()) {
            for (int i = 0; i < settings().size(); i++) {
                String setting = settings().get(i);
                Map<String, String> config = EngineEndToEndScenario.tuned(env.baseConfig("all"));
                config.put(property(), setting);
                ServiceProcess service = env.start(name() + "-" + i, config);
                EngineEndToEndScenario.saturate(env, c, service, "warmup-" + i, Duration.ofSeconds(env.size(15, 60)));
                double completed = EngineEndToEndScenario.saturate(env, c, service, "sat-" + i,
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
                    figures.put("machine_cpu_ms_per_job_at_200_per_s", m.get("machine_cpu_ms_per_job"));
                    figures.put("service_cpu_ms_per_job_at_200_per_s", m.get("service_cpu_ms_per_job"));
                    periods.computeIfAbsent(setting, k -> new ArrayList<>()).add(figures);
                }
                env.stop(service);
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        periods.forEach((setting, runs) -> Stats.medianOfEach(runs).forEach((figure, median) ->
                figures.put(figure + "_" + label(setting), median)));
        return figures;
    }

    /** The ratios of {@code tried} over {@code base} for each figure, named with {@code what}. */
    List<Ratio> ratios(String what, String tried, String base) {
        List<Ratio> ratios = new ArrayList<>();
        for (String[] figure : new String[][] {{"completed/s", "completed_per_s"},
                {"client p50 at 200/s", "client_p50_ms_at_200_per_s"}, {"client p99 at 200/s", "client_p99_ms_at_200_per_s"},
                {"machine CPU per job at 200/s", "machine_cpu_ms_per_job_at_200_per_s"}}) {
            ratios.add(new Ratio(figure[0] + ", " + what, figure[1] + "_" + label(tried), figure[1] + "_" + label(base)));
        }
        return ratios;
    }
}
