package dev.offload.job;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Group commit for the engine's hot statements. Callers add items; whenever fewer than
 * {@code maxInFlight} flushes are running, the waiting items (up to {@code maxBatch}) go to the
 * database as one statement. Nothing waits for a timer: alone, an item is flushed at once; under load,
 * items that arrive while flushes run share the next one, so a commit (and its fsync, and the
 * notification lock of a state change) is paid per batch instead of per job.
 *
 * <p>A batch whose statement fails is split: each item is retried on its own, so one bad item fails
 * alone and the others are written.
 *
 * @param <I> what a caller adds
 * @param <O> what each caller gets back
 */
public final class Batcher<I, O> {

    /** Writes a batch; answers one result per item, in order. */
    @FunctionalInterface
    public interface Flush<I, O> extends Function<List<I>, Uni<List<O>>> {
    }

    private record Pending<I, O>(I item, UniEmitter<? super O> emitter, Context context) {
        void complete(O result) {
            deliver(() -> emitter.complete(result));
        }

        void fail(Throwable failure) {
            deliver(() -> emitter.fail(failure));
        }

        /**
         * Answers on the caller's own event loop (a request's), or right here when the caller is a
         * blocking thread waiting for the answer (its worker context may be busy with that very wait).
         */
        private void deliver(Runnable answer) {
            if (context == null || !context.isEventLoopContext() || context == Vertx.currentContext()) {
                answer.run();
            } else {
                context.runOnContext(ignored -> answer.run());
            }
        }
    }

    private final int maxBatch;
    private final int maxInFlight;
    private final Flush<I, O> flush;
    private final IntConsumer sizes;
    private final ConcurrentLinkedQueue<Pending<I, O>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** As {@link #Batcher(int, int, Flush, IntConsumer)}, recording nothing. */
    public Batcher(int maxBatch, int maxInFlight, Flush<I, O> flush) {
        this(maxBatch, maxInFlight, flush, size -> { });
    }

    /** @param sizes told the size of every batch written (a metric) */
    public Batcher(int maxBatch, int maxInFlight, Flush<I, O> flush, IntConsumer sizes) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.flush = flush;
        this.sizes = sizes;
    }

    /** Adds an item; the Uni completes when the batch that carried it has been written (or failed). */
    public Uni<O> add(I item) {
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Pending<>(item, emitter, Vertx.currentContext()));
            drain();
        });
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // a running flush drains again when it ends
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending<I, O>> batch = new ArrayList<>(Math.min(maxBatch, 64));
            for (Pending<I, O> p; batch.size() < maxBatch && (p = waiting.poll()) != null;) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            sizes.accept(batch.size());
            write(batch).subscribe().with(ignored -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }

    /** Writes the batch; on failure writes each item alone. Never fails itself: the items carry the outcome. */
    private Uni<Void> write(List<Pending<I, O>> batch) {
        return invoke(batch).onItemOrFailure().transformToUni((results, failure) -> {
            if (failure == null && results.size() == batch.size()) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).complete(results.get(i));
                }
                return Uni.createFrom().voidItem();
            }
            Throwable why = failure != null ? failure
                    : new IllegalStateException("a batch of " + batch.size() + " got " + results.size() + " results");
            if (batch.size() == 1) {
                batch.get(0).fail(why);
                return Uni.createFrom().voidItem();
            }
            return io.smallrye.mutiny.Multi.createFrom().iterable(batch)
                    .onItem().transformToUniAndConcatenate(p -> write(List.of(p)))
                    .collect().last().replaceWithVoid();
        });
    }

    private Uni<List<O>> invoke(List<Pending<I, O>> batch) {
        try {
            return flush.apply(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
