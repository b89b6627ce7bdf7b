package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a status stream shows for a change, given what it showed last. */
class JobEventTest {

    private static final UUID ID = UUID.randomUUID();

    /** An event without progress or state left: what a stream showed, or the start it fills in. */
    private static JobEvent shown(String state, int attempt) {
        return new JobEvent(ID, "canary", state, attempt, 0, null, null);
    }

    @Test
    void shouldShowAStartThatWasNotAnnouncedBeforeTheEnd() {
        JobEvent end = new JobEvent(ID, "canary", "success", 1, 0, null, "running");
        assertEquals(List.of(shown("running", 1), end), end.after(shown("created", 0)));
    }

    @Test
    void shouldShowAChangeAloneWhenTheStreamSawTheStateItLeft() {
        JobEvent end = new JobEvent(ID, "canary", "success", 2, 5, 5L, "running");
        assertEquals(List.of(end), end.after(shown("running", 2)));
    }

    @Test
    void shouldNotGoBackWhenTheSnapshotWasNewerThanTheChange() {
        // The snapshot showed the job running before its worker's announcement of the start arrived.
        // Exactly what the stream shows is not sent again; a change the snapshot lacks still is.
        JobEvent start = new JobEvent(ID, "canary", "running", 1, 0, null, "created");
        assertEquals(List.of(), start.after(shown("running", 1)));
        JobEvent startWithTotal = new JobEvent(ID, "canary", "running", 1, 0, 3L, "created");
        assertEquals(List.of(startWithTotal), startWithTotal.after(shown("running", 1)));
        // The snapshot showed the job queued again before the event of its reaping arrived.
        JobEvent requeued = new JobEvent(ID, "canary", "created", 1, 0, null, "running");
        assertEquals(List.of(), requeued.after(shown("created", 1)));
        // The snapshot showed the next attempt running before the reaping of the one before arrived.
        assertEquals(List.of(), requeued.after(shown("running", 2)));
    }

    @Test
    void shouldShowAShortRunThatEndedBackInTheQueue() {
        // Claimed (not announced) and handed back within a moment: the stream showed it queued before.
        JobEvent handedBack = new JobEvent(ID, "canary", "created", 1, 0, null, "running");
        assertEquals(List.of(shown("running", 1), handedBack), handedBack.after(shown("created", 0)));
    }

    @Test
    void shouldShowProgressAlone() {
        JobEvent progress = new JobEvent(ID, "canary", "running", 1, 3, 10L, "running");
        assertEquals(List.of(progress), progress.after(shown("created", 0)));
        assertEquals(List.of(progress), progress.after(null));
    }

    @Test
    void shouldShowAChangeAloneWhenTheStateItLeftIsUnknown() {
        JobEvent old = new JobEvent(ID, "canary", "success", 1, 0, null, null);
        assertEquals(List.of(old), old.after(shown("created", 0)));
    }
}
