package dev.offload.archive;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that compress for every archive of the process: as many as cores, since compression is all CPU.
 * Each writer bounds its own work in flight, so the queue stays short however many archives run.
 */
@ApplicationScoped
public class CompressionPool {

    private final int threads;
    private final ExecutorService executor;

    @Inject
    public CompressionPool(ArchiveConfig config) {
        this(config.threads() <= 0 ? Runtime.getRuntime().availableProcessors() : config.threads());
    }

    /** A pool of {@code threads} threads; 1 means none: writers compress on their caller's thread. */
    public CompressionPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = threads;
        if (threads == 1) {
            this.executor = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    runnable -> {
                        Thread thread = new Thread(runnable, "offload-archive-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
        }
    }

    /** No threads: every writer compresses on its caller's thread, the single-threaded way. */
    public static CompressionPool serial() {
        return new CompressionPool(1);
    }

    public int threads() {
        return threads;
    }

    public boolean parallel() {
        return executor != null;
    }

    /** The pool's executor; only when {@link #parallel()}. */
    public ExecutorService executor() {
        if (executor == null) {
            throw new IllegalStateException("a serial pool has no executor");
        }
        return executor;
    }

    @PreDestroy
    public void shutdown() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
