package dev.offload.workflow;

import io.smallrye.mutiny.Uni;

/**
 * Work a workflow declares around a transition (before or after it, on entering or leaving a state), done
 * in the transition's own transaction: its writes commit with the state change, and a hook that fails
 * rolls the transition back (the caller sees {@link TransitionHookException}).
 */
@FunctionalInterface
public interface TransitionHook {

    Uni<Void> run(TransitionContext transition);
}
