package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.canary.CanaryKind;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The canary's whole transition table, state by state: every allowed move and every refused one. */
class CanaryWorkflowTest {

    private static final Workflow WORKFLOW = CanaryKind.WORKFLOW;
    private static final List<String> TRANSITIONS = List.of("start", "succeed", "fail", "retry", "cancel");
    private static final Map<String, Map<String, String>> ALLOWED = Map.of(
            "created", Map.of("start", "running", "cancel", "cancelled"),
            "running", Map.of("succeed", "success", "fail", "error", "retry", "created", "cancel", "cancelled"),
            "success", Map.of(),
            "error", Map.of(),
            "cancelled", Map.of());

    static Stream<Arguments> table() {
        return TransitionTable.rows(ALLOWED, TRANSITIONS);
    }

    @ParameterizedTest(name = "{1} from {0} -> {2}")
    @MethodSource("table")
    void shouldAllowExactlyTheDeclaredTransitions(String state, String transition, String expected) {
        TransitionTable.assertRow(WORKFLOW, state, transition, expected);
    }

    @Test
    void shouldStartInCreatedAndEndInSuccessErrorOrCancelled() {
        assertEquals("created", WORKFLOW.initial());
        assertEquals(List.of("success", "error", "cancelled"),
                WORKFLOW.states().stream().filter(WORKFLOW::isFinal).toList());
    }

    @Test
    void shouldListAvailableTransitionsInDeclarationOrder() {
        assertEquals(List.of("start", "cancel"), WORKFLOW.available("created"));
        assertEquals(List.of("succeed", "fail", "retry", "cancel"), WORKFLOW.available("running"));
        assertEquals(List.of(), WORKFLOW.available("success"));
    }
}
