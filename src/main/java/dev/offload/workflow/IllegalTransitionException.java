package dev.offload.workflow;

import java.util.List;

/** A transition that is not available from the subject's current state. */
public class IllegalTransitionException extends RuntimeException {

    private final String workflow;
    private final String transition;
    private final String state;
    private final List<String> available;
    private final String reason;

    public IllegalTransitionException(String workflow, String transition, String state, List<String> available) {
        this(workflow, transition, state, available, null);
    }

    /** A transition refused by a check: {@code reason} says which condition is unmet. */
    public IllegalTransitionException(String workflow, String transition, String state, List<String> available,
            String reason) {
        super("transition '" + transition + "' is not available from state '" + state + "' of workflow '" + workflow
                + "'" + (reason == null ? "" : ": " + reason)
                + "; available: " + (available.isEmpty() ? "none" : String.join(", ", available)));
        this.reason = reason;
        this.workflow = workflow;
        this.transition = transition;
        this.state = state;
        this.available = List.copyOf(available);
    }

    public String workflow() {
        return workflow;
    }

    public String transition() {
        return transition;
    }

    public String state() {
        return state;
    }

    public List<String> available() {
        return available;
    }

    /** The unmet check's reason, or null when the state alone forbids the transition. */
    public String reason() {
        return reason;
    }

    /** The same refusal with other available transitions (those a client may apply, say). */
    public IllegalTransitionException withAvailable(List<String> shown) {
        return new IllegalTransitionException(workflow, transition, state, shown, reason);
    }
}
