package dev.offload.db;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The connections of the engine's hot statements (submit, claim, finish, transitions). Every one of
 * them reads the job table by key, so these connections forbid the plans that read a whole table
 * (sequential scans, hash and merge joins). PostgreSQL plans a prepared statement once it has run a
 * few times and keeps that plan: planned while a new job table was nearly empty, it would keep
 * scanning the table as it grows, until statistics are refreshed (never, on a server without
 * autovacuum). Here the planner has no such plan to choose.
 *
 * <p>They also plan each statement once ({@code plan_cache_mode = force_generic_plan}): a keyed lookup
 * has one good plan whatever the parameters are, and PostgreSQL would otherwise plan the first
 * executions of every connection anew and keep weighing custom plans against the generic one. At
 * 200 jobs/s that planning was a sixth of the claim's time in the database.
 *
 * <p>The pool is built at start-up and never on a Vert.x context: a pool built on one (an HTTP request's,
 * when the first use was a submit) is closed with that context's deployment, which Quarkus undeploys early
 * in its shutdown, while a stopping worker still needs the pool to hand its jobs back.
 */
@Startup
@ApplicationScoped
public class EngineDb {

    private final Pool pool;
    private volatile boolean closed;

    public EngineDb(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "offload.engine-pool-size", defaultValue = "8") int size) {
        PgConnectOptions options = connectOptions(url, username, password)
                .setCachePreparedStatements(true)
                .addProperty("enable_seqscan", "off")
                .addProperty("enable_hashjoin", "off")
                .addProperty("enable_mergejoin", "off")
                .addProperty("plan_cache_mode", "force_generic_plan")
                .addProperty("application_name", "offload-engine");
        this.pool = outsideAnyContext(
                () -> PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options).using(vertx).build());
    }

    /** Builds the pool on a thread of its own when called on a Vert.x context, so it closes only with Vert.x. */
    private static Pool outsideAnyContext(Callable<Pool> build) {
        if (io.vertx.core.Vertx.currentContext() == null) {
            try {
                return build.call();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the engine's pool", e);
            }
        }
        FutureTask<Pool> task = new FutureTask<>(build);
        new Thread(task, "offload-engine-pool").start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the engine's pool", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot build the engine's pool", e.getCause());
        }
    }

    /** Connect options for the configured reactive URL and credentials. */
    public static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    public Pool pool() {
        return pool;
    }

    /** Whether the pool was closed: the process is stopping, and a pass that fails now is no news. */
    public boolean closed() {
        return closed;
    }

    void stop(@Observes ShutdownEvent event) {
        closed = true;
        pool.closeAndAwait();
    }
}
