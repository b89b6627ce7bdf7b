package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import dev.offload.support.Tokens;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This build against a baseline build of another commit ({@code --baseline}), to show that a change did not make
 * the engine slower. Each build runs api and worker in one process with engine-e2e's configuration (quorum queues,
 * the canary kind's concurrency) in a database and virtual host of its own, as its schema is its own. Both are
 * started and warmed up; then they take turns, baseline then current, three rounds (two with --quick), the other
 * idling. In its period a build takes 200 jobs/s (POST to success as the job row records it, created_at to
 * finished_at, and the service's CPU per job), then as many as it completes (jobs/s at saturation). Each figure
 * is the median of the build's periods; the ratios are current / baseline.
 */
public class EngineAbScenario implements Scenario {

    private static final int RATE = 200;

    /** The figures of a period, with what the summary calls them. */
    private static final Map<String, String> FIGURES = figures();

    private static Map<String, String> figures() {
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("completed_per_s", "completed jobs/s at saturation");
        figures.put("p50_ms_at_200_per_s", "p50 ms at 200 jobs/s");
        figures.put("p99_ms_at_200_per_s", "p99 ms at 200 jobs/s");
        figures.put("service_cpu_ms_per_job_at_200_per_s", "service CPU ms per job at 200 jobs/s");
        return figures;
    }

    /** A build in the comparison: its name, its running service, and a connection to its database. */
    private record Build(String name, ServiceProcess service, Connection db) {
    }

    @Override
    public String name() {
        return "engine-ab";
    }

    @Override
    public String description() {
        return "this build against a baseline build, taking turns: completed jobs/s at saturation, latency at 200 jobs/s";
    }

    @Override
    public int repetitions(boolean quick) {
        return 1;
    }

    @Override
    public boolean needsBaseline() {
        return true;
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Path baselineJar = env.baseline().orElseThrow(() -> new IllegalStateException("engine-ab needs a baseline build"));
        System.out.println("   baseline: " + baselineJar);
        try (BenchEnv baselineEnv = env.another();
                Connection baselineDb = baselineEnv.connect();
                Connection currentDb = env.connect()) {
            List<Build> builds = List.of(
                    new Build("baseline", baselineEnv.start(baselineJar, "ab-baseline", config(baselineEnv)), baselineDb),
                    new Build("current", env.start("ab-current", config(env)), currentDb));
            for (Build build : builds) {
                EngineEndToEndScenario.saturate(build.db(), build.service(), "ab-warmup-" + build.name(),
                        Duration.ofSeconds(env.size(10, 45)));
                rated(build, "ab-settle-" + build.name(), Duration.ofSeconds(env.size(5, 10)));
            }
            Map<String, List<Map<String, Double>>> periods = new LinkedHashMap<>();
            int rounds = env.size(2, 3);
            for (int round = 1; round <= rounds; round++) {
                for (Build build : builds) {
                    Map<String, Double> period = period(env, build, round);
                    periods.computeIfAbsent(build.name(), b -> new ArrayList<>()).add(period);
                    System.out.printf(Locale.ROOT, "   round %d, %-8s: %,.0f completed jobs/s; at 200 jobs/s p50 %.2f ms,"
                            + " p99 %.2f ms, service CPU %.2f ms per job%n", round, build.name(),
                            period.get("completed_per_s"), period.get("p50_ms_at_200_per_s"),
                            period.get("p99_ms_at_200_per_s"), period.get("service_cpu_ms_per_job_at_200_per_s"));
                }
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            periods.forEach((build, measured) -> Stats.medianOfEach(measured)
                    .forEach((figure, median) -> figures.put(build + "_" + figure, median)));
            printSummary(figures, rounds);
            return figures;
        }
    }

    /** One turn of a build: 200 jobs/s offered, then saturation. */
    private static Map<String, Double> period(BenchEnv env, Build build, int round) throws Exception {
        String owner = "ab-" + build.name() + "-" + round;
        Map<String, Double> rated = rated(build, owner + "-rated", EngineEndToEndScenario.ratedPeriod(env));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("completed_per_s", EngineEndToEndScenario.saturate(build.db(), build.service(),
                owner + "-sat", Duration.ofSeconds(env.size(5, 15))).get("completed_per_s"));
        figures.put("p50_ms_at_200_per_s", rated.get("p50_ms"));
        figures.put("p99_ms_at_200_per_s", rated.get("p99_ms"));
        figures.put("service_cpu_ms_per_job_at_200_per_s", rated.get("service_cpu_ms_per_job"));
        return figures;
    }

    /** Submits at 200 jobs/s for {@code duration} and waits for every job to end: the job rows' latencies, CPU per job. */
    private static Map<String, Double> rated(Build build, String owner, Duration duration) throws Exception {
        long pid = build.service().pid();
        double cpu = BenchEnv.processCpuMs(pid);
        Load.Result sent;
        try (Load load = new Load(build.service().port(), 64, "/api/v1/canaries", Tokens.admin(owner), "{\"sleep_ms\":0}")) {
            sent = load.openLoop(RATE, duration);
        }
        Map<String, Double> figures = EngineEndToEndScenario.finished(build.db(), owner);
        figures.put("service_cpu_ms_per_job", (BenchEnv.processCpuMs(pid) - cpu) / figures.get("completed"));
        if (sent.failed() > 0) {
            System.out.printf("   %s: %d of %d submissions refused%n", build.name(), sent.failed(), sent.sent());
        }
        return figures;
    }

    private static Map<String, String> config(BenchEnv env) {
        Map<String, String> config = EngineEndToEndScenario.tuned(env.baseConfig("all"));
        config.put("offload.queue.type", "quorum");
        return config;
    }

    private static void printSummary(Map<String, Double> figures, int rounds) {
        System.out.printf(Locale.ROOT, "%n   medians of %d periods each         %10s %10s   current/baseline%n", rounds,
                "baseline", "current");
        FIGURES.forEach((figure, label) -> {
            Double baseline = figures.get("baseline_" + figure);
            Double current = figures.get("current_" + figure);
            System.out.printf(Locale.ROOT, "   %-36s %10s %10s   %s%n", label, format(baseline), format(current),
                    baseline == null || current == null || baseline == 0 ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", current / baseline));
        });
    }

    private static String format(Double value) {
        if (value == null || value.isNaN()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.2f", value);
    }

    @Override
    public List<Ratio> ratios() {
        return FIGURES.entrySet().stream()
                .map(f -> new Ratio("current / baseline, " + f.getValue(), "current_" + f.getKey(), "baseline_" + f.getKey()))
                .toList();
    }
}
