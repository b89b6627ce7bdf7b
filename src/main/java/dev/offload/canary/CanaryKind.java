package dev.offload.canary;

import static dev.offload.canary.CanaryState.CANCELLED;
import static dev.offload.canary.CanaryState.CREATED;
import static dev.offload.canary.CanaryState.ERROR;
import static dev.offload.canary.CanaryState.RUNNING;
import static dev.offload.canary.CanaryState.SUCCESS;

import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.workflow.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The canary: sleeps, reports progress and fails on request. It proves the pipeline in production;
 * the benchmarks and fault tests use it. Admins only.
 */
@ApplicationScoped
public class CanaryKind implements JobKind<CanaryRow> {

    public static final String NAME = "canary";
    public static final Workflow WORKFLOW = JobKind.singlePhase(NAME, CREATED.value(), RUNNING.value(),
            SUCCESS.value(), ERROR.value(), CANCELLED.value()).build();
    private static final Phase PHASE = Phase.single(CREATED.value(), RUNNING.value());
    /** Longest sleep between two looks at the cancel flag. */
    private static final long SLICE_MS = 50;

    private static final Declaration<CanaryRow> DECLARATION = new Declaration<>(NAME, "canary_job", CanaryRow.class, WORKFLOW, List.of(PHASE));

    @Override
    public Declaration<CanaryRow> declaration() {
        return DECLARATION;
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public void run(Phase phase, JobContext<CanaryRow> context) throws Exception {
        CanaryRow canary = context.row();
        int steps = Math.max(1, canary.progressSteps());
        long perStep = canary.sleepMs() / steps;
        long remainder = canary.sleepMs() % steps;
        for (int step = 1; step <= steps; step++) {
            long nap = perStep + (step == steps ? remainder : 0);
            while (nap > 0) {
                context.checkCancelled();
                long slice = Math.min(nap, SLICE_MS);
                Thread.sleep(slice);
                nap -= slice;
            }
            context.checkCancelled();
            if (canary.progressSteps() > 0) {
                context.progress(step, steps);
            }
        }
        if (canary.fail()) {
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
