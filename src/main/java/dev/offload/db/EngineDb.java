package dev.offload.db;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
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
 */
@ApplicationScoped
public class EngineDb {

    private final Pool pool;

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
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options).using(vertx).build();
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

    void stop(@Observes ShutdownEvent event) {
        pool.closeAndAwait();
    }
}
