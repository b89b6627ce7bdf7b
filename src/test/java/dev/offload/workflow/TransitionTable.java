package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A workflow's expected transition table: for every state, the transitions allowed and where they lead.
 * Every (state, transition) pair not listed must be refused, naming the state and what is available.
 */
public final class TransitionTable {

    private TransitionTable() {
    }

    /** One row per (state, transition): the expected target, or null for refused. */
    public static Stream<Arguments> rows(Map<String, Map<String, String>> allowed, List<String> transitions) {
        List<Arguments> rows = new ArrayList<>();
        for (String state : allowed.keySet()) {
            for (String transition : transitions) {
                rows.add(Arguments.of(state, transition, allowed.get(state).get(transition)));
            }
        }
        return rows.stream();
    }

    public static void assertRow(Workflow workflow, String state, String transition, String expected) {
        if (expected == null) {
            IllegalTransitionException refused = assertThrows(IllegalTransitionException.class,
                    () -> workflow.target(state, transition));
            assertEquals(state, refused.state());
            assertEquals(transition, refused.transition());
            assertEquals(workflow.available(state), refused.available());
        } else {
            assertEquals(expected, workflow.target(state, transition));
        }
    }
}
