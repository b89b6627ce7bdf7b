package dev.offload.canary;

import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.workflow.Workflow;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Optional;

/**
 * The canary: sleeps, reports progress and fails on request. It proves the pipeline in production;
 * the benchmarks and fault tests use it. Admins only.
 */
@ApplicationScoped
public class CanaryKind implements JobKind {

    public static final String NAME = "canary";
    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";

    @Produces
    public static final Workflow WORKFLOW = JobKind.singlePhaseWorkflow(NAME, CREATED, RUNNING, SUCCESS, ERROR, CANCELLED);

    private static final Phase PHASE = Phase.single(CREATED, RUNNING);
    /** Longest sleep between two looks at the cancel flag. */
    private static final long SLICE_MS = 50;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String table() {
        return "canary_job";
    }

    @Override
    public Workflow workflow() {
        return WORKFLOW;
    }

    @Override
    public List<Phase> phases() {
        return List.of(PHASE);
    }

    @Override
    public Optional<String> cancelTransition() {
        return Optional.of(CANCEL);
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public void run(Phase phase, JobContext context) throws Exception {
        JsonObject canary = context.kindRow();
        int sleepMs = canary.getInteger("sleep_ms");
        int progressSteps = canary.getInteger("progress_steps");
        int steps = Math.max(1, progressSteps);
        long perStep = sleepMs / steps;
        long remainder = sleepMs % steps;
        for (int step = 1; step <= steps; step++) {
            long nap = perStep + (step == steps ? remainder : 0);
            while (nap > 0) {
                context.checkCancelled();
                long slice = Math.min(nap, SLICE_MS);
                Thread.sleep(slice);
                nap -= slice;
            }
            context.checkCancelled();
            if (progressSteps > 0) {
                context.progress(step, steps);
            }
        }
        if (canary.getBoolean("fail")) {
            throw new CanaryFailure("the canary was asked to fail");
        }
    }

    /** The failure a canary reports when asked to fail. */
    public static class CanaryFailure extends RuntimeException {
        public CanaryFailure(String message) {
            super(message);
        }
    }
}
