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
 * End to end: trivial canary jobs through the broker and a worker, from the POST to {@code success}: as
 * a client sees it (POST due → success event received) and as the job row records it (created_at →
 * finished_at). Completed jobs/s at saturation with api and worker in
 * one process and in two; latency and the machine's CPU per job at 200 jobs/s offered, in periods that take
 * turns with a Celery worker's doing the same durable work ({@link Baselines.Celery}), so both are measured in
 * the same minutes; the same durable statements under pgbench (at saturation, and at 200 jobs/s for
 * PostgreSQL's own latency) and RabbitMQ's own publish/consume rate as baselines.
 */
public class EngineEndToEndScenario implements Scenario {

    static final String CONCURRENCY = "32";

    /** Steady periods at 200/s of the engine, each followed by one of Celery's (full size). */
    static final int INTERLEAVED_PERIODS = 3;

    @Override
    public String name() {
        return "engine-e2e";
    }

    @Override
    public String description() {
        return "canary jobs submit -> success: completed jobs/s (1 and 2 processes), latency at 200 jobs/s";
    }

    static Map<String, String> tuned(Map<String, String> config) {
        config.put("offload.kinds.canary.concurrency", CONCURRENCY);
        return config;
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        // The service first (it creates the schema), idle while Celery runs its saturation run and its
        // warm-up periods; then Celery's worker idles, ready for the periods at 200/s that alternate with
        // the engine's.
        ServiceProcess all = env.start("e2e-all", tuned(env.baseConfig("all")));
        try (Baselines.Celery celery = celeryTakingTurns(env)) {
            figures.put("celery_completed_per_s", celery.figures().get("celery_completed_per_s"));
            try (Connection c = env.connect()) {
                Map<String, Double> one = oneProcess(env, c, all, "all", celery);
                figures.put("completed_per_s_one_process", one.get("completed_per_s"));
                one.forEach((figure, value) -> {
                    if (figure.contains("_at_200_per_s")) {
                        figures.put(figure, value);
                    }
                });
                figures.put("peak_rss_mb_one_process", one.get("peak_rss_mb"));
            }
            env.stop(all);
        }
        try (Connection c = env.connect()) {
            ServiceProcess worker = env.start("e2e-worker", tuned(env.baseConfig("worker")));
            ServiceProcess api = env.start("e2e-api", tuned(env.baseConfig("api")));
            saturate(c, api, "warmup-split", Duration.ofSeconds(env.size(15, 60)));
            Map<String, Double> two = saturate(c, api, "sat-split", Duration.ofSeconds(env.size(8, 20)));
            figures.put("completed_per_s_two_processes", two.get("completed_per_s"));
            figures.put("peak_rss_mb_api", BenchEnv.peakRssMb(api.pid()));
            figures.put("peak_rss_mb_worker", BenchEnv.peakRssMb(worker.pid()));
            env.stop(api);
            env.stop(worker);
        }
        figures.put("pg_job_life_per_s", Baselines.pgbench(env, Baselines.LIFE_TX, 16, Duration.ofSeconds(env.size(5, 15))));
        Map<String, Double> pgLatency = Baselines.pgbenchLatency(env, Baselines.LIFE_TX, 200,
                Duration.ofSeconds(env.size(5, 20)));
        figures.put("pg_job_life_p50_ms_at_200_per_s", pgLatency.get("p50_ms"));
        figures.put("pg_job_life_p99_ms_at_200_per_s", pgLatency.get("p99_ms"));
        Map<String, Double> pgFloor = Baselines.pgbenchLatency(env, Baselines.LIFE_ONE_STATEMENT_TX, 200,
                Duration.ofSeconds(env.size(5, 20)));
        figures.put("pg_job_life_one_statement_p50_ms_at_200_per_s", pgFloor.get("p50_ms"));
        figures.put("pg_job_life_one_statement_p99_ms_at_200_per_s", pgFloor.get("p99_ms"));
        Map<String, Double> rabbit = Baselines.rabbit(env, Duration.ofSeconds(env.size(5, 15)), true);
        figures.put("rabbit_consumed_per_s", rabbit.get("rabbit_consumed_per_s"));
        return figures;
    }

    /**
     * Api and worker in one process: warmed for a minute (the JIT), then completed jobs/s at saturation,
     * latency at 200 jobs/s offered, and the process's peak RSS. The latency is taken first in the period at
     * 200/s right after the saturation run ({@code *_first_*}: the JIT recompiles for the lower rate,
     * PostgreSQL still vacuums and checkpoints what the saturation run wrote), then at the steady rate, which
     * is what the targets and the reference apply to. With {@code celery}, the steady rate is taken in
     * several periods that alternate with Celery's periods at the same rate, so both are measured in the same
     * minutes of a machine whose speed varies: each figure is the median of its periods
     * ({@code celery_client_*} for Celery's); without, in one period.
     */
    static Map<String, Double> oneProcess(BenchEnv env, Connection c, ServiceProcess all, String label,
            Baselines.Celery celery) throws Exception {
        saturate(c, all, "warmup-" + label, Duration.ofSeconds(env.size(15, 60)));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("completed_per_s",
                saturate(c, all, "sat-" + label, Duration.ofSeconds(env.size(8, 20))).get("completed_per_s"));
        Duration rated = ratedPeriod(env);
        Map<String, Double> first = offered(env, c, all, "after-sat-" + label, 200, rated);
        figures.put("client_p50_ms_first_at_200_per_s", first.get("client_p50_ms"));
        figures.put("client_p99_ms_first_at_200_per_s", first.get("client_p99_ms"));
        List<Map<String, Double>> periods = new java.util.ArrayList<>();
        List<Map<String, Double>> celeryPeriods = new java.util.ArrayList<>();
        int count = celery == null ? 1 : env.size(2, INTERLEAVED_PERIODS);
        for (int i = 0; i < count; i++) {
            periods.add(offered(env, c, all, "steady-" + label + "-" + i, 200, rated));
            if (celery != null) {
                celeryPeriods.add(celery.period("steady-" + i));
            }
        }
        Map<String, Double> steady = Stats.medianOfEach(periods);
        figures.put("client_p50_ms_at_200_per_s", steady.get("client_p50_ms"));
        figures.put("client_p99_ms_at_200_per_s", steady.get("client_p99_ms"));
        figures.put("p50_ms_at_200_per_s", steady.get("p50_ms"));
        figures.put("p99_ms_at_200_per_s", steady.get("p99_ms"));
        figures.put("machine_cpu_ms_per_job_at_200_per_s", steady.get("machine_cpu_ms_per_job"));
        figures.put("service_cpu_ms_per_job_at_200_per_s", steady.get("service_cpu_ms_per_job"));
        steady.forEach((figure, value) -> {
            if (figure.startsWith("stage_")) {
                figures.put(figure.replace("_ms", "_ms_at_200_per_s"), value);
            }
        });
        if (celery != null) {
            Map<String, Double> celerySteady = Stats.medianOfEach(celeryPeriods);
            figures.put("celery_client_p50_ms_at_200_per_s", celerySteady.get("p50_ms"));
            figures.put("celery_client_p99_ms_at_200_per_s", celerySteady.get("p99_ms"));
            figures.put("celery_machine_cpu_ms_per_job_at_200_per_s", celerySteady.get("machine_cpu_ms_per_job"));
        }
        figures.put("peak_rss_mb", BenchEnv.peakRssMb(all.pid()));
        return figures;
    }

    /** Submits as fast as 64 clients can for {@code duration}, waits for every job to end; completed/s. */
    static Map<String, Double> saturate(Connection c, ServiceProcess api, String owner, Duration duration) throws Exception {
        try (Load load = new Load(api.port(), 64, "/api/v1/canaries", Tokens.admin(owner), "{\"sleep_ms\":0}")) {
            load.closedLoop(64, duration);
        }
        return finished(c, owner);
    }

    /**
     * Submits at {@code perSecond} for {@code duration}, waits for every job to end; latencies submit -> success
     * as a client sees them ({@code client_p50_ms}, {@code client_p99_ms}: from when its POST was due to when
     * the job's success event reached a listener, i.e. after the success committed) and as the job row records
     * them ({@code p50_ms}, {@code p99_ms}: created_at, when the API took the request, to finished_at, when the
     * work returned, just before the finishing statement).
     */
    static Map<String, Double> offered(BenchEnv env, Connection c, ServiceProcess api, String owner, int perSecond,
            Duration duration) throws Exception {
        Map<String, Long> due = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> answered = new java.util.concurrent.ConcurrentHashMap<>();
        try (SuccessEvents events = new SuccessEvents(env)) {
            double machineCpu = BenchEnv.machineCpuMs();
            double serviceCpu = BenchEnv.processCpuMs(api.pid());
            try (Load load = new Load(api.port(), 64, "/api/v1/canaries", Tokens.admin(owner), "{\"sleep_ms\":0}")) {
                load.openLoop(perSecond, duration, (id, dueAt) -> {
                    answered.put(id, System.nanoTime());
                    due.put(id, dueAt);
                });
            }
            Map<String, Double> figures = finished(c, owner);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> due.keySet().stream().allMatch(id -> events.successAt(id) != null));
            figures.put("machine_cpu_ms_per_job", (BenchEnv.machineCpuMs() - machineCpu) / due.size());
            figures.put("service_cpu_ms_per_job", (BenchEnv.processCpuMs(api.pid()) - serviceCpu) / due.size());
            long[] client = due.entrySet().stream().mapToLong(e -> events.successAt(e.getKey()) - e.getValue()).toArray();
            figures.put("client_p50_ms", Stats.percentileMs(client, 50));
            figures.put("client_p99_ms", Stats.percentileMs(client, 99));
            figures.putAll(stages(c, owner, due, answered, events));
            return figures;
        }
    }

    /** The stages of a job's time, in the order they follow each other. */
    private static final List<String> STAGES = List.of("http", "submit", "wake", "run", "finish");

    /**
     * Where each job's time went, p50 and p99 of each stage ({@code stage_<name>_p50_ms}, ...), and each
     * stage's mean over the slowest 1 % of jobs as the client saw them ({@code stage_<name>_slowest_ms}):
     * {@code http} from when the POST was due to the row's created_at (the request reaching the service);
     * {@code submit} to the 202's arrival (the submit statement, its commit, the answer); {@code wake} to
     * started_at (the publish, the broker's delivery, up to the claim statement being sent: it overlaps the
     * 202's way back, so it can be a little short); {@code run} to finished_at (the claim statement and its commit,
     * the acknowledgement, the work); {@code finish} to when the success event arrived (the finishing
     * statement, its commit, the notification). The row's times are the service's wall clock; the client's
     * are this process's, on the same machine.
     */
    static Map<String, Double> stages(Connection c, String owner, Map<String, Long> due, Map<String, Long> answered,
            SuccessEvents events) throws java.sql.SQLException {
        long wallMinusNano = Stats.epochNanos(java.time.Instant.now()) - System.nanoTime();
        List<long[]> jobs = new java.util.ArrayList<>(); // per job: the stages' nanos, then the whole
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, created_at, started_at, finished_at FROM job WHERE owner = '%s'".formatted(owner))) {
            while (rs.next()) {
                String id = rs.getString(1);
                Long dueAt = due.get(id);
                Long seenAt = events.successAt(id);
                if (dueAt == null || seenAt == null) {
                    continue;
                }
                long[] t = {dueAt + wallMinusNano, epochNanos(rs, 2), answered.get(id) + wallMinusNano,
                        epochNanos(rs, 3), epochNanos(rs, 4), seenAt + wallMinusNano};
                long[] job = new long[STAGES.size() + 1];
                for (int i = 0; i < STAGES.size(); i++) {
                    job[i] = t[i + 1] - t[i];
                }
                job[STAGES.size()] = t[STAGES.size()] - t[0];
                jobs.add(job);
            }
        }
        jobs.sort(java.util.Comparator.comparingLong(job -> job[STAGES.size()]));
        List<long[]> slowest = jobs.subList(jobs.size() - Math.max(1, jobs.size() / 100), jobs.size());
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int i = 0; i < STAGES.size(); i++) {
            int stage = i;
            long[] all = jobs.stream().mapToLong(job -> job[stage]).toArray();
            figures.put("stage_" + STAGES.get(i) + "_p50_ms", Stats.percentileMs(all, 50));
            figures.put("stage_" + STAGES.get(i) + "_p99_ms", Stats.percentileMs(all, 99));
            figures.put("stage_" + STAGES.get(i) + "_slowest_ms",
                    slowest.stream().mapToLong(job -> job[stage]).average().orElse(Double.NaN) / 1e6);
        }
        return figures;
    }

    private static long epochNanos(ResultSet rs, int column) throws java.sql.SQLException {
        return Stats.epochNanos(rs.getObject(column, java.time.OffsetDateTime.class).toInstant());
    }

    static Map<String, Double> finished(Connection c, String owner) throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> EngineSubmitScenario.count(c,
                "SELECT count(*) FROM job WHERE owner = '" + owner + "' AND finished_at IS NULL") == 0);
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*) FILTER (WHERE state = 'success'),
                       extract(epoch FROM max(finished_at) - min(created_at)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
                FROM job WHERE owner = '%s'""".formatted(owner))) {
            rs.next();
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("completed", (double) rs.getLong(1));
            m.put("completed_per_s", rs.getLong(1) / rs.getDouble(2));
            m.put("p50_ms", rs.getDouble(3) * 1000);
            m.put("p99_ms", rs.getDouble(4) * 1000);
            return m;
        }
    }

    /** A measured period at 200 jobs/s, the engine's and Celery's alike. */
    static Duration ratedPeriod(BenchEnv env) {
        return Duration.ofSeconds(env.size(5, 20));
    }

    /**
     * The Celery baseline, started (its saturation run and warm-up periods) and then serving periods at 200
     * jobs/s of the same length as the engine's, to take turns with them in {@link #oneProcess}. Start the
     * service first: it creates the schema, which must be empty when Flyway first sees it.
     */
    static Baselines.Celery celeryTakingTurns(BenchEnv env) throws Exception {
        return Baselines.Celery.start(env, Duration.ofSeconds(env.size(5, 20)), ratedPeriod(env), true);
    }

    /** The ratios to Celery of a scenario that took turns with it, whose completed jobs/s is {@code completed}. */
    static List<Ratio> celeryRatios(String completed) {
        return List.of(
                new Ratio("completed / Celery's", completed, "celery_completed_per_s"),
                new Ratio("client p50 at 200/s / Celery's", "client_p50_ms_at_200_per_s",
                        "celery_client_p50_ms_at_200_per_s"),
                new Ratio("client p99 at 200/s / Celery's", "client_p99_ms_at_200_per_s",
                        "celery_client_p99_ms_at_200_per_s"),
                new Ratio("the machine's CPU per job at 200/s / Celery's", "machine_cpu_ms_per_job_at_200_per_s",
                        "celery_machine_cpu_ms_per_job_at_200_per_s"));
    }

    @Override
    public List<Ratio> ratios() {
        List<Ratio> ratios = new java.util.ArrayList<>(List.of(
                new Ratio("one process / PostgreSQL job life", "completed_per_s_one_process", "pg_job_life_per_s"),
                new Ratio("one process / RabbitMQ publish+consume", "completed_per_s_one_process", "rabbit_consumed_per_s"),
                new Ratio("client p50 at 200/s / PostgreSQL's own p50 for a job's life, a statement per commit",
                        "client_p50_ms_at_200_per_s", "pg_job_life_one_statement_p50_ms_at_200_per_s"),
                new Ratio("client p99 at 200/s / PostgreSQL's own p99 for a job's life, a statement per commit",
                        "client_p99_ms_at_200_per_s", "pg_job_life_one_statement_p99_ms_at_200_per_s"),
                new Ratio("two processes / one process", "completed_per_s_two_processes", "completed_per_s_one_process")));
        ratios.addAll(celeryRatios("completed_per_s_one_process"));
        return ratios;
    }

    @Override
    public Map<String, Double> references() {
        return Map.of("completed_per_s_one_process", 801.0, "completed_per_s_two_processes", 801.0,
                "client_p50_ms_at_200_per_s", 2.1, "client_p99_ms_at_200_per_s", 2.9);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("completed_per_s_one_process", ">= 1,600", "completed_per_s_two_processes", ">= 1,600",
                "client_p50_ms_at_200_per_s", "<= 2", "client_p99_ms_at_200_per_s", "<= 3");
    }
}
