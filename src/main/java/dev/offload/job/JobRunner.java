package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Takes the wake-ups the kinds' consumers deliver: waits for a free slot of the kind (without holding a
 * thread), claims the job ({@link Claims}) and runs it on the kind's bounded pool ({@link JobWork}). The
 * delivery is acknowledged once the claim is decided, so a job may run longer than the broker's consumer
 * timeout; the lease, not the delivery, guards it. A stopping worker hands its jobs back.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    /** This observer's priority among the shutdown observers: before those of default priority. */
    static final int STOP_FIRST = 10;
    /** How long a stopping worker waits for its jobs to stop and be handed back (the manifests' grace exceeds it). */
    public static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** Why a job went back to its queue when its worker stopped. */
    public static final String HANDED_BACK = "worker stopping";

    /** What becomes of a delivery once its claim is decided. */
    public interface Receipt {
        /** Done with: claimed, or nothing to claim (gone, finished, someone else's). */
        void ack();

        /** Give it back to the broker: the claim failed (requeued; dead-lettered after the delivery limit). */
        void requeue();
    }

    private final OffloadConfig config;
    private final MeterRegistry meters;
    private final Claims claims;
    private final JobWork work;
    private final CancelWatch watch;
    private final JobPublisher publisher;
    private final Map<String, Slots> slots = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> pools = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Void>> lateHandBacks = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    JobRunner(OffloadConfig config, MeterRegistry meters, Claims claims, JobWork work, CancelWatch watch,
            JobPublisher publisher) {
        this.config = config;
        this.meters = meters;
        this.claims = claims;
        this.work = work;
        this.watch = watch;
        this.publisher = publisher;
    }

    /**
     * Takes one wake-up: acknowledged once the claim is decided, given back when the claim failed, and held
     * (neither) when it reaches a stopping worker (see {@link #handle}).
     */
    public void take(JobKind<?> kind, UUID id, Receipt receipt) {
        take(kind, id, null, receipt);
    }

    /** As {@link #take(JobKind, UUID, Receipt)}, the run a span of {@code trace} (the wake-up's, from the submitting request). */
    public void take(JobKind<?> kind, UUID id, io.opentelemetry.context.Context trace, Receipt receipt) {
        handle(kind, id, trace).subscribe().with(ignored -> receipt.ack(), failure -> receipt.requeue());
    }

    /**
     * As {@link #take}: completes once the claim is decided, fails when the message must go back to the
     * broker, and never completes for a message that reaches a stopping worker.
     */
    Uni<Void> handle(JobKind<?> kind, UUID id) {
        return handle(kind, id, null);
    }

    private Uni<Void> handle(JobKind<?> kind, UUID id, io.opentelemetry.context.Context trace) {
        Slots slots = slots(kind.name());
        return slots.acquire().chain(() -> {
            if (stopping) {
                slots.release();
                // Held, neither acknowledged nor given back: the broker returns a held message to the queue,
                // once, when this process's channel closes (see JobConsumers).
                LOG.debugf("this worker is stopping; %s %s goes back to the queue when it has stopped",
                        kind.name(), id);
                return Uni.createFrom().nothing();
            }
            return claims.claim(kind, id).onItemOrFailure().invoke((claimed, failure) -> {
                if (failure != null || claimed == null) {
                    slots.release();
                    if (failure == null) {
                        meters.counter("offload.jobs.deliveries", "kind", kind.name(), "outcome", "dropped").increment();
                    }
                    return;
                }
                meters.counter("offload.jobs.deliveries", "kind", kind.name(), "outcome", "claimed").increment();
                RunningJob<?> job = work.start(kind, claimed);
                try {
                    pool(kind.name()).execute(() -> {
                        try {
                            work.run(job, trace);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    slots.release();
                    // Claimed while this worker stops: give it straight back (a transaction: not on this
                    // thread), before the engine's connections and the publisher close (see #stop).
                    CompletableFuture<Void> handedBack = CompletableFuture.runAsync(() -> work.handBack(job),
                            Infrastructure.getDefaultWorkerPool());
                    lateHandBacks.add(handedBack);
                    handedBack.whenComplete((done, error) -> lateHandBacks.remove(handedBack));
                }
            }).replaceWithVoid();
        });
    }

    /** Whether this process is running the job now. */
    public boolean isRunning(UUID id) {
        return work.isRunning(id);
    }

    /** Jobs of {@code kind} one process runs at once: its setting, or 4; 0 means this process does not run the kind. */
    public int concurrency(String kind) {
        OffloadConfig.Kind settings = config.kinds().get(kind);
        return settings == null ? OffloadConfig.Kind.DEFAULT_CONCURRENCY : settings.concurrency();
    }

    /**
     * A stopping worker (rolling deploy, scale-down) stops its jobs and hands them back at once, so
     * another worker retries them without waiting for the lease to expire. It runs before the other
     * shutdown observers (default priority): the hand-backs and the finishes of jobs ending meanwhile still
     * need the engine's connections and the publisher.
     */
    void stop(@Observes @Priority(STOP_FIRST) ShutdownEvent event) {
        stopping = true;
        work.stopping = true;
        watch.stop();
        int handingBack = work.running().size();
        work.running().forEach(RunningJob::handBack);
        pools.values().forEach(ExecutorService::shutdown);
        if (handingBack > 0) {
            LOG.infof("stopping: handing back %d running job(s)", handingBack);
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        // The hand-backs need the engine's connections, closed by a later observer: wait for them even if this
        // thread is interrupted meanwhile (the flag is set again afterwards).
        boolean interrupted = false;
        while (System.nanoTime() < deadline) {
            try {
                for (ExecutorService pool : pools.values()) {
                    pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                // Claims that were in flight when this began hand their jobs back on other threads.
                if (!lateHandBacks.isEmpty()) {
                    CompletableFuture.allOf(lateHandBacks.toArray(CompletableFuture[]::new))
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                if (lateHandBacks.isEmpty() && pools.values().stream().allMatch(ExecutorService::isTerminated)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (!lateHandBacks.isEmpty() || !pools.values().stream().allMatch(ExecutorService::isTerminated)) {
            LOG.warnf("not every job was handed back in %s; the reaper will retry the rest", STOP_WAIT);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        publisher.recordConfirmed(); // the hand-backs' confirms, so no other process's relay sends them again
    }

    private Slots slots(String kind) {
        return slots.computeIfAbsent(kind, k -> new Slots(Math.max(1, concurrency(k))));
    }

    private ExecutorService pool(String kind) {
        if (stopping) {
            throw new RejectedExecutionException("this worker is stopping"); // not even a new kind's pool
        }
        return pools.computeIfAbsent(kind, k -> Executors.newFixedThreadPool(Math.max(1, concurrency(k)),
                new ThreadFactory() {
                    private final AtomicInteger n = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, "offload-" + k + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }
                }));
    }
}
