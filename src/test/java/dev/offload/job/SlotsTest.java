package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A kind's worker slots: never more holders than slots, waiting deliveries served in order as slots free up. */
class SlotsTest {

    private static List<CompletableFuture<Void>> acquire(Slots slots, int n) {
        List<CompletableFuture<Void>> acquired = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            acquired.add(slots.acquire().subscribeAsCompletionStage());
        }
        return acquired;
    }

    @Test
    void shouldGrantAsManySlotsAsItHasAndMakeTheRestWait() {
        Slots slots = new Slots(2);

        List<CompletableFuture<Void>> acquired = acquire(slots, 4);

        assertTrue(acquired.get(0).isDone());
        assertTrue(acquired.get(1).isDone());
        assertFalse(acquired.get(2).isDone());
        assertFalse(acquired.get(3).isDone());
    }

    @Test
    void shouldHandAFreedSlotToTheLongestWaitingDelivery() {
        Slots slots = new Slots(1);
        List<CompletableFuture<Void>> acquired = acquire(slots, 3);

        slots.release();
        assertTrue(acquired.get(1).isDone(), "the first waiter got the freed slot");
        assertFalse(acquired.get(2).isDone(), "the second still waits: one slot, one holder");

        slots.release();
        assertTrue(acquired.get(2).isDone());
    }

    @Test
    void shouldGrantAtOnceAgainOnceEveryHolderReleased() {
        Slots slots = new Slots(2);
        acquire(slots, 2);
        slots.release();
        slots.release();

        List<CompletableFuture<Void>> again = acquire(slots, 3);

        assertEquals(2, again.stream().filter(CompletableFuture::isDone).count());
    }
}
