package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Checks and hooks as declared data, without a database: which apply, in which order, with what reason. */
class WorkflowChecksAndHooksTest {

    /** The subject the door's checks see. */
    record Door(boolean keyTurned, boolean forced) {
    }

    private static TransitionHook named(String name) {
        return new TransitionHook() {
            @Override
            public Uni<Void> run(TransitionContext transition) {
                return Uni.createFrom().voidItem();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static Workflow.Builder door() {
        return Workflow.builder("door", "door").states("open", "closed", "locked").initial("open")
                .transition("close", "closed", "open")
                .transition("lock", "locked", "closed")
                .transition("open", "open", "closed", "locked");
    }

    private static final Workflow CHECKED = door()
            .check("lock", "the key is not turned", (Door d) -> d.keyTurned())
            .check("open", "the door is locked and not forced", (Door d) -> d.forced() || d.keyTurned())
            .build();

    @Test
    void shouldOfferOnlyTheTransitionsWhoseChecksAllowTheSubject() {
        assertEquals(List.of("lock", "open"), CHECKED.available("closed"), "the state alone offers both");
        assertEquals(List.of("open"), CHECKED.available("closed", new Door(false, true)));
        assertEquals(List.of("lock", "open"), CHECKED.available("closed", new Door(true, false)));
        assertEquals(List.of(), CHECKED.available("locked", new Door(false, false)));
    }

    @Test
    void shouldRefuseATransitionAnUnmetCheckForbidsWithItsReason() {
        assertEquals(Optional.of("the key is not turned"), CHECKED.refusal("lock", new Door(false, false)));
        assertEquals(Optional.empty(), CHECKED.refusal("lock", new Door(true, false)));
        assertEquals(Optional.empty(), CHECKED.refusal("close", new Door(false, false)), "no check: allowed");

        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> CHECKED.target("closed", "lock", new Door(false, false)));
        assertEquals("the key is not turned", e.reason());
        assertEquals(List.of(), e.available(), "open is refused too: not forced");
        assertEquals(List.of("open"), assertThrows(IllegalTransitionException.class,
                () -> CHECKED.target("closed", "lock", new Door(false, true))).available());
        assertEquals("locked", CHECKED.target("closed", "lock", new Door(true, false)));
    }

    @Test
    void shouldStillRefuseByStateBeforeAnyCheck() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> CHECKED.target("open", "lock", new Door(true, true)));
        assertEquals(null, e.reason());
    }

    @Test
    void shouldRunHooksBeforeTheTransitionOnLeavingOnEnteringAndAfterInThatOrder() {
        Workflow w = door()
                .after("lock", named("after lock"))
                .onEnter("locked", named("enter locked"))
                .before("lock", named("before lock"))
                .onLeave("closed", named("leave closed"))
                .onLeave("open", named("leave open"))
                .build();
        assertEquals("[before lock, leave closed, enter locked, after lock]", w.hooks("lock", "closed").toString());
        assertEquals("[leave open]", w.hooks("close", "open").toString());
        assertEquals("[leave closed]", w.hooks("open", "closed").toString(), "leaving depends on where from");
        assertEquals("[]", w.hooks("open", "locked").toString());
        assertTrue(w.hasHooks("lock"));
        assertTrue(w.hasHooks("open"), "open leaves closed, which has a hook");
        assertTrue(!door().build().hasHooks("open"));
    }

    @Test
    void shouldRefuseChecksAndHooksNamingWhatTheWorkflowLacks() {
        assertThrows(IllegalArgumentException.class, () -> door().check("smash", "no", (Door d) -> true).build());
        assertThrows(IllegalArgumentException.class, () -> door().before("smash", named("x")).build());
        assertThrows(IllegalArgumentException.class, () -> door().onEnter("ajar", named("x")).build());
    }

    @Test
    void shouldKeepTheDeclaredLogAttributes() {
        assertEquals(List.of("client_address", "client_id"),
                door().logAttributes("client_address", "client_id").build().logAttributes());
        assertEquals(List.of(), door().build().logAttributes());
    }
}
