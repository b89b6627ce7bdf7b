package dev.offload.bench;

import dev.offload.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client watching its jobs sees: the engine's job events ({@code LISTEN offload_job_events}, sent
 * when a change commits), and the {@link System#nanoTime()} at which each job's {@code success} arrived.
 * The listener is the reactive client on its own event loop, so a notification is timed as it arrives
 * (PgJDBC's {@code getNotifications} waits up to a millisecond for more before it returns).
 */
final class SuccessEvents implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final PgConnection connection;
    private final Map<String, Long> successAt = new ConcurrentHashMap<>();

    SuccessEvents(BenchEnv env) {
        PgConnectOptions options = new PgConnectOptions().setHost(TestServices.DB_HOST)
                .setPort(Integer.parseInt(TestServices.DB_PORT)).setUser(TestServices.DB_USER)
                .setPassword(TestServices.DB_PASSWORD).setDatabase(env.database());
        long timeout = Duration.ofSeconds(30).toMillis();
        connection = await(PgConnection.connect(vertx, options), timeout);
        connection.notificationHandler(n -> {
            long now = System.nanoTime();
            // one line per job: "id kind state attempt done total from"
            for (String line : n.getPayload().split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("success")) {
                    successAt.putIfAbsent(f[0], now);
                }
            }
        });
        await(connection.query("LISTEN offload_job_events").execute(), timeout);
    }

    private static <T> T await(io.vertx.core.Future<T> future, long timeoutMillis) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the job event listener failed", e);
        }
    }

    /** When the job's success arrived, or null if it has not (yet). */
    Long successAt(String id) {
        return successAt.get(id);
    }

    @Override
    public void close() {
        await(connection.close(), 5000);
        await(vertx.close(), 5000);
    }
}
