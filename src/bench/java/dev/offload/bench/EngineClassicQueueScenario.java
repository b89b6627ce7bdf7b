package dev.offload.bench;

import dev.offload.support.ServiceProcess;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end scenario (api and worker in one process) with {@code offload.queue.type=classic}:
 * what the broker's lower latency (see {@code broker-latency}) gives a whole job, against the same
 * targets. The queues are declared classic in this scenario's own virtual host. Its periods at 200
 * jobs/s take turns with the Celery baseline's, as in {@code engine-e2e}: Celery's queue is a classic
 * queue too, so here the two differ in everything but the broker's queue type.
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
        ServiceProcess all = env.start("e2e-classic", settings); // first: it creates the schema
        try (Baselines.Celery celery = EngineEndToEndScenario.celeryTakingTurns(env); Connection c = env.connect()) {
            Map<String, Double> figures = EngineEndToEndScenario.oneProcess(env, c, all, "classic", celery);
            figures.put("celery_completed_per_s", celery.figures().get("celery_completed_per_s"));
            return figures;
        }
    }

    @Override
    public List<Ratio> ratios() {
        return EngineEndToEndScenario.celeryRatios("completed_per_s");
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
