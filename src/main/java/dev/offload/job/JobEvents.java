package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Job state and progress changes from every process, through PostgreSQL LISTEN on the channel the
 * {@code job_events} trigger notifies. One connection per process; listeners register per job.
 */
@ApplicationScoped
public class JobEvents {

    public static final String PG_CHANNEL = "offload_job_events";
    private static final Logger LOG = Logger.getLogger(JobEvents.class);

    private final Map<UUID, Set<Consumer<JobEvent>>> listeners = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;

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
        subscriber.channel(PG_CHANNEL).handler(this::dispatch);
        subscriber.connect().subscribe().with(
                ignored -> LOG.debug("listening for job events"),
                failure -> LOG.warnf("cannot listen for job events yet: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    /** Calls {@code listener} for every change of job {@code id} until the returned handle is run. */
    public Runnable listen(UUID id, Consumer<JobEvent> listener) {
        listeners.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(id, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** A notification carries the changes of one statement, a line each: id kind state attempt done total. */
    private void dispatch(String payload) {
        if (listeners.isEmpty()) {
            return;
        }
        for (String line : payload.split("\n")) {
            String[] f = line.split(" ");
            if (f.length != 6) {
                LOG.warnf("ignoring a malformed job event: %s", line);
                continue;
            }
            UUID id = UUID.fromString(f[0]);
            Set<Consumer<JobEvent>> interested = listeners.get(id);
            if (interested == null) {
                continue;
            }
            JobEvent event = new JobEvent(id, f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    "-".equals(f[5]) ? null : Long.valueOf(f[5]));
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
