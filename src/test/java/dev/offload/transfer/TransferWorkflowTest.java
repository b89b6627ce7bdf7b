package dev.offload.transfer;

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

/** The import's and the export's whole transition tables, state by state. */
class TransferWorkflowTest {

    private static final List<String> IMPORT_TRANSITIONS = List.of("parse", "finish_parse", "reject", "fail_parse",
            "retry_parse", "import_at_once", "confirm", "import", "finish_import", "fail_import", "retry_import", "cancel");
    private static final Map<String, Map<String, String>> IMPORT = Map.of(
            "created", Map.of("parse", "parsing", "cancel", "cancelled"),
            "parsing", Map.of("finish_parse", "parsed", "reject", "input_error", "fail_parse", "parse_error",
                    "retry_parse", "created", "import_at_once", "imported", "cancel", "cancelled"),
            "parsed", Map.of("confirm", "import_confirmed", "cancel", "cancelled"),
            "input_error", Map.of(),
            "parse_error", Map.of(),
            "import_confirmed", Map.of("import", "importing", "cancel", "cancelled"),
            "importing", Map.of("finish_import", "imported", "fail_import", "import_error", "retry_import",
                    "import_confirmed", "cancel", "cancelled"),
            "imported", Map.of(),
            "import_error", Map.of(),
            "cancelled", Map.of());

    private static final List<String> EXPORT_TRANSITIONS = List.of("start", "succeed", "fail", "retry", "cancel");
    private static final Map<String, Map<String, String>> EXPORT = Map.of(
            "created", Map.of("start", "exporting", "cancel", "cancelled"),
            "exporting", Map.of("succeed", "exported", "fail", "export_error", "retry", "created", "cancel", "cancelled"),
            "exported", Map.of(),
            "export_error", Map.of(),
            "cancelled", Map.of());

    static Stream<Arguments> imports() {
        return TransitionTable.rows(IMPORT, IMPORT_TRANSITIONS);
    }

    static Stream<Arguments> exports() {
        return TransitionTable.rows(EXPORT, EXPORT_TRANSITIONS);
    }

    @ParameterizedTest(name = "import: {1} from {0} -> {2}")
    @MethodSource("imports")
    void shouldAllowExactlyTheImportsDeclaredTransitions(String state, String transition, String expected) {
        TransitionTable.assertRow(ImportKind.WORKFLOW, state, transition, expected);
    }

    @ParameterizedTest(name = "export: {1} from {0} -> {2}")
    @MethodSource("exports")
    void shouldAllowExactlyTheExportsDeclaredTransitions(String state, String transition, String expected) {
        TransitionTable.assertRow(ExportKind.WORKFLOW, state, transition, expected);
    }

    @Test
    void shouldEndWhereDjangoImportExportExtensionsEnds() {
        Workflow imports = ImportKind.WORKFLOW;
        assertEquals("created", imports.initial());
        assertEquals(List.of("input_error", "parse_error", "imported", "import_error", "cancelled"),
                imports.states().stream().filter(imports::isFinal).toList());
        assertEquals(List.of("exported", "export_error", "cancelled"),
                ExportKind.WORKFLOW.states().stream().filter(ExportKind.WORKFLOW::isFinal).toList());
    }
}
