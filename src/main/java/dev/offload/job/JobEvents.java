package dev.offload.job;

import dev.offload.config.OffloadConfig;
import dev.offload.db.EngineDb;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgChannel;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Job state and progress changes from every process, through PostgreSQL LISTEN on the channel the
 * {@code job_events} trigger notifies (and workers, announcing a start: {@link JobRunner}). One connection
 * per process; listeners register per job.
 *
 * <p>The connection LISTENs only while someone here wants events (a status stream, a job running long
 * enough to be cancelled mid-way), and for {@link #LINGER} after the last one left: PostgreSQL wakes every
 * listening connection of the database for every notification, whichever job it is about. A listener
 * that must not miss a change waits for {@link #listening()} before it reads the job's current state.
 */
@ApplicationScoped
public class JobEvents {

    public static final String PG_CHANNEL = "offload_job_events";
    /** How long the connection keeps listening after its last listener left (saves a LISTEN per job). */
    static final Duration LINGER = Duration.ofSeconds(10);
    /** How long to wait before connecting again when the first connection failed. */
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(JobEvents.class);

    private final Map<UUID, Set<Consumer<JobEvent>>> listeners = new HashMap<>();
    private final Vertx vertx;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile PgSubscriber subscriber;
    private volatile PgChannel channel;
    private volatile boolean stopped;
    /** Completes once LISTEN is in effect; null while not listening. Guarded by {@code this}. */
    private CompletableFuture<Void> listening;
    private long unlistenTimer = -1;

    public JobEvents(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void start(@Observes @Priority(20) StartupEvent event, OffloadConfig config) {
        if (!config.role().isService()) {
            return;
        }
        PgConnectOptions options = EngineDb.connectOptions(url, username, password);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> 500L);
        channel = subscriber.channel(PG_CHANNEL).subscribeHandler(this::subscribed);
        connect();
    }

    /**
     * Connects, and again every second until it succeeds: the subscriber reconnects by itself only once it
     * was connected, and connects again only once closed (a failed first connection leaves it open).
     */
    private void connect() {
        subscriber.connect().subscribe().with(
                ignored -> {
                    LOG.debug("connected for job events");
                    if (stopped) {
                        subscriber.getDelegate().close(); // stopped while connecting
                    }
                },
                failure -> {
                    LOG.warnf("cannot connect for job events yet: %s", failure.getMessage());
                    if (!stopped) {
                        vertx.setTimer(CONNECT_RETRY.toMillis(), ignored -> {
                            // Connected meanwhile (its LISTEN failed, and it reconnects by itself): leave it be.
                            if (!stopped && subscriber.getDelegate().actualConnection() == null) {
                                subscriber.getDelegate().close();
                                connect();
                            }
                        });
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    /**
     * Calls {@code listener} for every change of job {@code id} until the returned handle is run. Changes
     * committed before {@link #listening()} completes may be missed.
     */
    public Runnable listen(UUID id, Consumer<JobEvent> listener) {
        synchronized (this) {
            listeners.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(listener);
            if (unlistenTimer >= 0) {
                vertx.cancelTimer(unlistenTimer);
                unlistenTimer = -1;
            }
            if (listening == null && channel != null) {
                listening = new CompletableFuture<>();
                channel.handler(this::dispatch); // LISTEN
            }
        }
        return () -> unlisten(id, listener);
    }

    private synchronized void unlisten(UUID id, Consumer<JobEvent> listener) {
        Set<Consumer<JobEvent>> set = listeners.get(id);
        if (set == null || !set.remove(listener)) {
            return;
        }
        if (set.isEmpty()) {
            listeners.remove(id);
        }
        if (listeners.isEmpty() && listening != null && unlistenTimer < 0) {
            unlistenTimer = vertx.setTimer(LINGER.toMillis(), this::lingered);
        }
    }

    private synchronized void lingered(long timer) {
        if (timer != unlistenTimer) {
            return; // cancelled after it fired: a newer linger, if any, decides
        }
        unlistenTimer = -1;
        if (listeners.isEmpty() && listening != null) {
            channel.getDelegate().handler(null); // UNLISTEN
            listening.completeExceptionally(new IllegalStateException("no longer listening for job events"));
            listening = null;
        }
    }

    private synchronized void subscribed() {
        if (listening != null) {
            // After a reconnect it stays complete: changes while the connection was down are missed, as before.
            listening.complete(null);
        }
    }

    /**
     * Completes once this process LISTENs (at once if it does already); fails if it stopped listening
     * meanwhile. Only meaningful while a listener is registered.
     */
    public Uni<Void> listening() {
        CompletableFuture<Void> current;
        synchronized (this) {
            current = listening;
        }
        return current == null
                ? Uni.createFrom().failure(new IllegalStateException("not listening for job events"))
                : Uni.createFrom().completionStage(current);
    }

    /** A notification carries the changes of one statement, a line each: id kind state attempt done total from. */
    private void dispatch(String payload) {
        synchronized (this) {
            if (listeners.isEmpty()) {
                return; // lingering
            }
        }
        for (String line : payload.split("\n")) {
            String[] f = line.split(" ");
            if (f.length != 6 && f.length != 7) { // six: a line from before V6, without the state left
                LOG.warnf("ignoring a malformed job event: %s", line);
                continue;
            }
            UUID id = UUID.fromString(f[0]);
            Set<Consumer<JobEvent>> interested;
            synchronized (this) {
                interested = listeners.get(id);
            }
            if (interested == null) {
                continue;
            }
            JobEvent event = new JobEvent(id, f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    "-".equals(f[5]) ? null : Long.valueOf(f[5]), f.length == 7 ? f[6] : null);
            for (Consumer<JobEvent> listener : interested) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "a listener of job %s failed", id);
                }
            }
        }
    }
}
