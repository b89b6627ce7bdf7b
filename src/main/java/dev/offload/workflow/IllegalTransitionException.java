package dev.offload.workflow;

import java.util.List;

/** A transition that is not available from the subject's current state. */
public class IllegalTransitionException extends RuntimeException {

    private final String workflow;
    private final String transition;
    private final String state;
    private final List<String> available;

    public IllegalTransitionException(String workflow, String transition, String state, List<String> available) {
        super("transition '" + transition + "' is not available from state '" + state + "' of workflow '" + workflow
                + "'; available: " + (available.isEmpty() ? "none" : String.join(", ", available)));
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
}
