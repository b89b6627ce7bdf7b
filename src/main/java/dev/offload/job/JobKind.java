package dev.offload.job;

import dev.offload.workflow.Workflow;
import java.util.List;
import java.util.Optional;

/**
 * A kind of job, declared once: its workflow, the phases the engine runs, and the work itself.
 * A phase is a stretch of work between a waiting state and a running state; most kinds have one.
 */
public interface JobKind {

    /** The kind's name: also its workflow's name, its queue's routing key and its channel. */
    String name();

    /** The kind's own table: its fields per job, keyed by {@code job_id}. */
    String table();

    Workflow workflow();

    List<Phase> phases();

    /** The transition that cancels a job of this kind, if it can be cancelled. */
    Optional<String> cancelTransition();

    /** The transitions a client may apply through the API (the rest belong to the engine). */
    default java.util.Set<String> clientTransitions() {
        return cancelTransition().map(java.util.Set::of).orElse(java.util.Set.of());
    }

    /** Only admins may submit jobs of this kind. */
    default boolean adminOnly() {
        return false;
    }

    /** Does the work of one phase; throws to end the job in the phase's error state. */
    void run(Phase phase, JobContext context) throws Exception;

    default Optional<Phase> phaseWaitingIn(String state) {
        return phases().stream().filter(p -> p.waiting().equals(state)).findFirst();
    }

    default Optional<Phase> phaseRunningIn(String state) {
        return phases().stream().filter(p -> p.running().equals(state)).findFirst();
    }

    /**
     * @param waiting  the state a job waits in for a worker
     * @param start    transition waiting → running, applied when a worker claims the job
     * @param running  the state while a worker holds the lease
     * @param succeed  transition to the phase's success state
     * @param fail     transition to the phase's error state
     * @param retry    transition running → waiting, applied when a lease expires below the attempt cap
     */
    record Phase(String waiting, String start, String running, String succeed, String fail, String retry) {

        /** The one phase of a single-phase kind, with the engine's transition names. */
        public static Phase single(String waiting, String running) {
            return new Phase(waiting, START, running, SUCCEED, FAIL, RETRY);
        }
    }

    String START = "start";
    String SUCCEED = "succeed";
    String FAIL = "fail";
    String RETRY = "retry";
    String CANCEL = "cancel";

    /**
     * The workflow of a kind with one phase: {@code waiting → running → success | error}, {@code retry}
     * back to waiting when a lease expires, {@code cancel} from waiting and running.
     */
    static Workflow singlePhaseWorkflow(String name, String waiting, String running, String success, String error,
            String cancelled) {
        return Workflow.builder(name, Job.ENTITY, Job.TABLE)
                .states(waiting, running, success, error, cancelled)
                .initial(waiting)
                .transition(START, running, waiting)
                .transition(SUCCEED, success, running)
                .transition(FAIL, error, running)
                .transition(RETRY, waiting, running)
                .transition(CANCEL, cancelled, waiting, running)
                .build();
    }
}
