package dev.offload.workflow;

/** A hook failed, so its transition was rolled back. */
public class TransitionHookException extends RuntimeException {

    private final String workflow;
    private final String transition;

    public TransitionHookException(String workflow, String transition, Throwable cause) {
        super("transition '" + transition + "' of workflow '" + workflow + "' was rolled back: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        this.workflow = workflow;
        this.transition = transition;
    }

    public String workflow() {
        return workflow;
    }

    public String transition() {
        return transition;
    }
}
