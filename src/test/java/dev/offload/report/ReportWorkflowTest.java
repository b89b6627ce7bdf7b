package dev.offload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.workflow.TransitionTable;
import dev.offload.workflow.Workflow;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The report's whole transition table, state by state. */
class ReportWorkflowTest {

    private static final Workflow WORKFLOW = ReportKind.WORKFLOW;
    private static final List<String> TRANSITIONS = List.of("start", "succeed", "fail", "retry", "cancel");
    private static final Map<String, Map<String, String>> ALLOWED = Map.of(
            "unprocessed", Map.of("start", "generating", "cancel", "cancelled"),
            "generating", Map.of("succeed", "success", "fail", "error", "retry", "unprocessed", "cancel", "cancelled"),
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
    void shouldStartUnprocessedAndEndInSuccessErrorOrCancelled() {
        assertEquals("unprocessed", WORKFLOW.initial());
        assertEquals(List.of("success", "error", "cancelled"), WORKFLOW.states().stream().filter(WORKFLOW::isFinal).toList());
    }
}
