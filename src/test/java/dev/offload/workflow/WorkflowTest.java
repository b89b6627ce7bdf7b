package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkflowTest {

    private static Workflow.Builder door() {
        return Workflow.builder("door", "door").states("open", "closed", "locked").initial("open")
                .transition("close", "closed", "open")
                .transition("lock", "locked", "closed")
                .transition("open", "open", "closed");
    }

    @Test
    void shouldRefuseATransitionToAnUndeclaredState() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> door().transition("smash", "broken", "locked").build());
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void shouldRefuseAnInitialStateThatIsNotAState() {
        assertThrows(IllegalArgumentException.class, () -> door().initial("ajar").build());
    }

    @Test
    void shouldRefuseTheSameTransitionNameTwice() {
        assertThrows(IllegalArgumentException.class, () -> door().transition("close", "locked", "open").build());
    }

    @Test
    void shouldNameTheTransitionStateAndAlternativesWhenRefusing() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> door().build().target("open", "lock"));
        assertEquals("transition 'lock' is not available from state 'open' of workflow 'door'; available: close",
                e.getMessage());
    }

    @Test
    void shouldDrawEveryTransitionInTheMermaidDiagram() {
        String diagram = door().build().toMermaid();
        assertEquals("""
                stateDiagram-v2
                    [*] --> open
                    open --> closed : close
                    closed --> locked : lock
                    closed --> open : open
                    locked --> [*]
                """, diagram);
    }
}
