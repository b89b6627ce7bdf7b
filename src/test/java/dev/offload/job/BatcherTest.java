package dev.offload.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Group commit: alone an item is written at once; what arrives meanwhile shares the next statement. */
class BatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A flush the test completes by hand, recording every batch it was given. */
    private static final class HeldFlush implements Batcher.Flush<Integer, String> {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> releases = new CopyOnWriteArrayList<>();

        @Override
        public Uni<List<String>> apply(List<Integer> items) {
            batches.add(List.copyOf(items));
            CompletableFuture<Void> release = new CompletableFuture<>();
            releases.add(release);
            return Uni.createFrom().completionStage(release)
                    .map(ignored -> items.stream().map(i -> "written " + i).toList());
        }

        void release(int batch) {
            releases.get(batch).complete(null);
        }
    }

    @Test
    void shouldWriteALoneItemAtOnce() {
        HeldFlush flush = new HeldFlush();
        Batcher<Integer, String> batcher = new Batcher<>(100, 1, flush);

        CompletableFuture<String> answer = batcher.add(7).subscribeAsCompletionStage();

        assertEquals(List.of(List.of(7)), flush.batches, "flushed without waiting for company");
        flush.release(0);
        assertEquals("written 7", answer.join());
    }

    @Test
    void shouldShareOneStatementAmongTheItemsThatArriveWhileOneIsRunning() {
        HeldFlush flush = new HeldFlush();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Batcher<Integer, String> batcher = new Batcher<>(100, 1, flush, sizes::add);

        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(batcher.add(i).subscribeAsCompletionStage());
        }
        assertEquals(List.of(List.of(0)), flush.batches, "the others wait for the running statement");

        flush.release(0);
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5)), flush.batches);
        flush.release(1);
        for (int i = 0; i < 6; i++) {
            assertEquals("written " + i, answers.get(i).join(), "each caller gets its own answer");
        }
        assertEquals(List.of(1, 5), sizes);
    }

    @Test
    void shouldNeitherExceedTheBatchSizeNorTheStatementsInFlight() {
        HeldFlush flush = new HeldFlush();
        Batcher<Integer, String> batcher = new Batcher<>(3, 2, flush);

        for (int i = 0; i < 10; i++) {
            batcher.add(i).subscribeAsCompletionStage();
        }
        assertEquals(List.of(List.of(0), List.of(1)), flush.batches, "two statements at once, no more");
        flush.release(0);
        flush.release(1);
        assertEquals(List.of(List.of(0), List.of(1), List.of(2, 3, 4), List.of(5, 6, 7)), flush.batches);
    }

    @Test
    void shouldFailOnlyTheBadItemWhenItsBatchFails() {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Batcher.Flush<Integer, String> flush = items -> {
            batches.add(List.copyOf(items));
            return items.contains(13)
                    ? Uni.createFrom().failure(new IllegalArgumentException("13 is refused"))
                    : Uni.createFrom().item(items.stream().map(i -> "written " + i).toList());
        };
        HeldFlush gate = new HeldFlush();
        Batcher<Integer, String> batcher = new Batcher<>(100, 1, items -> items.contains(0) ? gate.apply(items) : flush.apply(items));
        CompletableFuture<String> first = batcher.add(0).subscribeAsCompletionStage();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i : List.of(12, 13, 14)) {
            answers.add(batcher.add(i).subscribeAsCompletionStage());
        }
        gate.release(0);

        assertEquals("written 0", first.join());
        assertEquals("written 12", answers.get(0).join());
        Throwable refused = answers.get(1).handle((ok, e) -> e).join();
        assertInstanceOf(IllegalArgumentException.class, refused instanceof java.util.concurrent.CompletionException
                ? refused.getCause() : refused);
        assertEquals("written 14", answers.get(2).join());
        assertEquals(List.of(List.of(12, 13, 14), List.of(12), List.of(13), List.of(14)), batches,
                "the failed batch was retried one item at a time");
    }

    @Test
    void shouldKeepWritingFromManyThreads() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Batcher<Integer, Integer> batcher = new Batcher<>(50, 2,
                items -> Uni.createFrom().item(items).onItem().delayIt().by(Duration.ofMillis(2)), sizes::add);
        List<CompletableFuture<Integer>> answers = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 1000;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    answers.add(batcher.add(base + i).subscribeAsCompletionStage());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
        long sum = 0;
        for (CompletableFuture<Integer> answer : answers) {
            sum += answer.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        long expected = 0;
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 250; i++) {
                expected += t * 1000 + i;
            }
        }
        assertEquals(2000, answers.size());
        assertEquals(expected, sum, "every item answered with its own result");
        assertEquals(2000, sizes.stream().mapToInt(Integer::intValue).sum(), "every item written once");
        assertTrue(sizes.stream().allMatch(s -> s <= 50), "no batch over the limit: " + sizes);
        assertTrue(sizes.size() < 2000, "items shared statements: " + sizes.size() + " statements");
    }
}
