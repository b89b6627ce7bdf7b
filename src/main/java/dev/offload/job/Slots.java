package dev.offload.job;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayDeque;

/** A kind's worker slots in this process: a delivery waits for a free one without holding a thread. */
final class Slots {
    private final int size;
    private final ArrayDeque<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int used;

    Slots(int size) {
        this.size = size;
    }

    Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (used >= size) {
                    waiting.add(emitter);
                    return;
                }
                used++;
            }
            emitter.complete(null);
        });
    }

    /** Frees a slot: the longest-waiting delivery gets it. */
    void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
                return;
            }
        }
        next.complete(null);
    }
}
