package dev.offload.job;

import dev.offload.workflow.Workflow;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of job, declared once: its workflow (with its checks and hooks), the phases the engine runs, its
 * row type, and the work itself. The engine derives the rest: the kind's queue and consumer, claiming,
 * leases, retries, finding and listing its jobs, client transitions, results, events.
 *
 * <p>A phase is a stretch of work between a waiting state and a running state; most kinds have one. A
 * kind with several (parse, then import once confirmed) declares each; when a phase ends in another's
 * waiting state, or a client transition leads into one, the engine wakes a worker at once.
 *
 * @param <R> the kind's row: a record whose components are the columns of {@link #table()} (in camelCase;
 *            {@code job_id} need not be one), read when a job is claimed or looked up
 */
public interface JobKind<R> {

    /**
     * What a kind is, as data: its name (also its workflow's name, its queue's routing key and its settings'
     * key), its own table (its fields per job, keyed by {@code job_id}), the record type of its row, its
     * workflow and its phases.
     */
    record Declaration<R>(String name, String table, Class<R> rowType, Workflow workflow, List<Phase> phases) {

        public Declaration {
            phases = List.copyOf(phases);
        }
    }

    /** The kind's declaration: a constant of the kind. */
    Declaration<R> declaration();

    default String name() {
        return declaration().name();
    }

    default String table() {
        return declaration().table();
    }

    default Class<R> rowType() {
        return declaration().rowType();
    }

    default Workflow workflow() {
        return declaration().workflow();
    }

    default List<Phase> phases() {
        return declaration().phases();
    }

    /** The transitions a client may apply through the API (the rest belong to the engine); cancel by default. */
    default Set<String> clientTransitions() {
        return workflow().transition(CANCEL).isPresent() ? Set.of(CANCEL) : Set.of();
    }

    /** Only admins may submit jobs of this kind. */
    default boolean adminOnly() {
        return false;
    }

    /** Does the work of one phase; throws to end the job in the phase's error state. */
    void run(Phase phase, JobContext<R> context) throws Exception;

    default Optional<Phase> phaseWaitingIn(String state) {
        return phases().stream().filter(p -> p.waiting().equals(state)).findFirst();
    }

    default Optional<Phase> phaseRunningIn(String state) {
        return phases().stream().filter(p -> p.running().equals(state)).findFirst();
    }

    /** Whether a job in {@code state} keeps its result: a state a phase succeeds into. */
    default boolean keepsResultIn(String state) {
        return phases().stream().anyMatch(p -> workflow().transition(p.succeed()).map(t -> t.to().equals(state))
                .orElse(false));
    }

    /**
     * @param waiting  the state a job waits in for a worker
     * @param start    transition waiting → running, applied when a worker claims the job
     * @param running  the state while a worker holds the lease
     * @param succeed  transition to the phase's success state (final, or another phase's waiting state)
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
     * The workflow of a kind with one phase, to be completed with checks and hooks and built:
     * {@code waiting → running → success | error}, {@code retry} back to waiting when a lease expires,
     * {@code cancel} from waiting and running.
     */
    static Workflow.Builder singlePhase(String name, String waiting, String running, String success, String error,
            String cancelled) {
        return Workflow.builder(name, Job.TABLE)
                .states(waiting, running, success, error, cancelled)
                .initial(waiting)
                .transition(START, running, waiting)
                .transition(SUCCEED, success, running)
                .transition(FAIL, error, running)
                .transition(RETRY, waiting, running)
                .transition(CANCEL, cancelled, waiting, running);
    }
}
