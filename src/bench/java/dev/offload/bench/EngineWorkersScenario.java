package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import dev.offload.support.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scale-out on one machine, as bin/cluster runs it: one api process and 1, 2 and 3 worker processes, completed
 * jobs/s for a CPU-bound kind (a {@code jobs-detail} xlsx report over seeded rows; one report at a time per
 * worker, as a pod of one CPU would run it) and for the canary (no work: the engine's own cost, 32 at a time per
 * worker). With the canary, what PostgreSQL does per job (commits, rows written) from its own statistics, to
 * show where the database becomes the limit. The machine's cores are a figure of their own.
 */
public class EngineWorkersScenario implements Scenario {

    private static final List<Integer> WORKERS = List.of(1, 2, 3);
    /** Six days of seeded rows (51,840): each report is about a fifth of a second of one core's CPU. */
    private static final int SEEDED = 60_000;
    private static final String REPORT = """
            {"generator_type": "jobs-detail", "generator_options": {"from": "2024-01-01", "to": "2024-01-07", "format": "xlsx"}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String name() {
        return "engine-workers";
    }

    @Override
    public String description() {
        return "1, 2 and 3 worker processes behind one api: completed jobs/s, CPU-bound reports and canaries; PostgreSQL per job; the machine's busy cores and CPU per report by process";
    }

    @Override
    public int repetitions(boolean quick) {
        return 1;
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("report_completed_per_s_2_workers", ">= 1.6x one worker on 2 cores");
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(
                new Ratio("report 2 workers / 1", "report_completed_per_s_2_workers", "report_completed_per_s_1_workers"),
                new Ratio("report 3 workers / 1", "report_completed_per_s_3_workers", "report_completed_per_s_1_workers"),
                new Ratio("canary 2 workers / 1", "canary_completed_per_s_2_workers", "canary_completed_per_s_1_workers"),
                new Ratio("canary 3 workers / 1", "canary_completed_per_s_3_workers", "canary_completed_per_s_1_workers"));
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("cores", (double) Runtime.getRuntime().availableProcessors());
        ServiceProcess schema = env.start("workers-schema", env.baseConfig("all"));
        env.stop(schema);
        ReportScenario.seed(env, 0, SEEDED);
        try (Connection c = env.connect()) {
            for (int workers : WORKERS) {
                ServiceProcess api = env.start("workers-api-" + workers, env.baseConfig("api"));
                List<ServiceProcess> started = new ArrayList<>();
                for (int i = 1; i <= workers; i++) {
                    Map<String, String> config = env.baseConfig("worker");
                    config.put("offload.kinds.report.concurrency", "1");
                    config.put("offload.kinds.canary.concurrency", EngineEndToEndScenario.CONCURRENCY);
                    started.add(env.start("workers-" + workers + "-" + i, config));
                }
                reports(api, c, "warm-reports-" + workers, env.size(4, 8));
                // Where the CPU goes while the reports run: the whole machine, the api, the workers, and the rest
                // (PostgreSQL's backends above all, RabbitMQ, this client).
                int count = env.size(12, 40) * workers;
                double machine = BenchEnv.machineCpuMs();
                double apiCpu = BenchEnv.processCpuMs(api.pid());
                double workerCpu = started.stream().mapToDouble(w -> BenchEnv.processCpuMs(w.pid())).sum();
                long start = System.nanoTime();
                Map<String, Double> report = reports(api, c, "reports-" + workers, count);
                double wallMs = (System.nanoTime() - start) / 1e6;
                machine = BenchEnv.machineCpuMs() - machine;
                apiCpu = BenchEnv.processCpuMs(api.pid()) - apiCpu;
                workerCpu = started.stream().mapToDouble(w -> BenchEnv.processCpuMs(w.pid())).sum() - workerCpu;
                figures.put("report_completed_per_s_" + workers + "_workers", report.get("completed_per_s"));
                figures.put("report_busy_cores_" + workers + "_workers", machine / wallMs);
                figures.put("report_cpu_ms_per_report_workers_" + workers + "_workers", workerCpu / count);
                figures.put("report_cpu_ms_per_report_api_" + workers + "_workers", apiCpu / count);
                figures.put("report_cpu_ms_per_report_rest_" + workers + "_workers", (machine - workerCpu - apiCpu) / count);

                EngineEndToEndScenario.saturate(c, api, "warm-canary-" + workers, Duration.ofSeconds(env.size(8, 30)));
                Map<String, Long> before = database(c, env.database());
                Map<String, Double> canary = EngineEndToEndScenario.saturate(c, api, "canary-" + workers,
                        Duration.ofSeconds(env.size(8, 20)));
                Map<String, Long> after = database(c, env.database());
                figures.put("canary_completed_per_s_" + workers + "_workers", canary.get("completed_per_s"));
                double jobs = canary.get("completed");
                figures.put("pg_commits_per_s_" + workers + "_workers",
                        canary.get("completed_per_s") * (after.get("commits") - before.get("commits")) / jobs);
                if (workers == 1) {
                    figures.put("pg_commits_per_canary_job", (after.get("commits") - before.get("commits")) / jobs);
                    figures.put("pg_rows_written_per_canary_job", (after.get("rows") - before.get("rows")) / jobs);
                }
                for (ServiceProcess worker : started) {
                    env.stop(worker);
                }
                env.stop(api);
            }
        }
        return figures;
    }

    /** Submits {@code count} reports at once and waits for them all; completed/s from the first created to the last finished. */
    private Map<String, Double> reports(ServiceProcess api, Connection c, String owner, int count) throws Exception {
        String token = Tokens.bearer(Tokens.admin(owner));
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                    + "/api/v1/reports")).header("Authorization", token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(REPORT)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("report refused: " + response.statusCode() + " " + response.body());
            }
        }
        Map<String, Double> figures = EngineEndToEndScenario.finished(c, owner);
        if (figures.get("completed") < count) {
            throw new IllegalStateException(owner + ": " + figures.get("completed") + " of " + count + " reports succeeded");
        }
        System.out.printf("   %s: %d reports, %.2f/s%n", owner, count, figures.get("completed_per_s"));
        return figures;
    }

    /** PostgreSQL's counters for the database: transactions committed, rows inserted, updated and deleted. */
    private static Map<String, Long> database(Connection c, String database) throws Exception {
        Thread.sleep(2000); // backends flush their counters to the cumulative statistics within a second of going idle
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT xact_commit,"
                + " tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = '" + database + "'")) {
            rs.next();
            return Map.of("commits", rs.getLong(1), "rows", rs.getLong(2));
        }
    }
}
