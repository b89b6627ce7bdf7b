package dev.offload.archive;

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

/** The archive's and the extraction's whole transition tables, state by state. */
class ArchiveWorkflowTest {

    private static final List<String> TRANSITIONS = List.of("start", "succeed", "fail", "retry", "cancel");
    private static final Map<String, Map<String, String>> ARCHIVE = Map.of(
            "created", Map.of("start", "compressing", "cancel", "cancelled"),
            "compressing", Map.of("succeed", "ready", "fail", "error", "retry", "created", "cancel", "cancelled"),
            "ready", Map.of(),
            "error", Map.of(),
            "cancelled", Map.of());
    private static final Map<String, Map<String, String>> EXTRACT = Map.of(
            "created", Map.of("start", "extracting", "cancel", "cancelled"),
            "extracting", Map.of("succeed", "extracted", "fail", "error", "retry", "created", "cancel", "cancelled"),
            "extracted", Map.of(),
            "error", Map.of(),
            "cancelled", Map.of());

    static Stream<Arguments> archive() {
        return TransitionTable.rows(ARCHIVE, TRANSITIONS);
    }

    static Stream<Arguments> extract() {
        return TransitionTable.rows(EXTRACT, TRANSITIONS);
    }

    @ParameterizedTest(name = "archive: {1} from {0} -> {2}")
    @MethodSource("archive")
    void shouldAllowExactlyTheArchivesDeclaredTransitions(String state, String transition, String expected) {
        TransitionTable.assertRow(ArchiveKind.WORKFLOW, state, transition, expected);
    }

    @ParameterizedTest(name = "extract: {1} from {0} -> {2}")
    @MethodSource("extract")
    void shouldAllowExactlyTheExtractionsDeclaredTransitions(String state, String transition, String expected) {
        TransitionTable.assertRow(ExtractKind.WORKFLOW, state, transition, expected);
    }

    @Test
    void shouldEndInReadyErrorOrCancelled() {
        Workflow w = ArchiveKind.WORKFLOW;
        assertEquals("created", w.initial());
        assertEquals(List.of("ready", "error", "cancelled"), w.states().stream().filter(w::isFinal).toList());
    }
}
