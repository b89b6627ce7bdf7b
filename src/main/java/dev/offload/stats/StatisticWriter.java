package dev.offload.stats;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Stores one fetch: all its rows in one transaction and one statement (the key and value arrays
 * unnested server-side), so readers see all of a fetch or none of it. A fetch already stored for the
 * same endpoint and fetch time (a CronJob started twice) adds nothing.
 */
@ApplicationScoped
public class StatisticWriter {

    /** Serialises two runs storing the same endpoint, so the second sees the first's rows and stops. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
    private static final String STORED = "SELECT 1 FROM statistic WHERE endpoint = $1 AND fetched_at = $2 LIMIT 1";
    private static final String INSERT = """
            INSERT INTO statistic (endpoint, key, numeric_value, fetched_at)
            SELECT $1, t.key, t.value, $2 FROM unnest($3::varchar[], $4::numeric[]) AS t (key, value)
            ON CONFLICT (endpoint, key, fetched_at) DO NOTHING""";

    /** How a fetch was stored: rows added, or none because the fetch was stored before. */
    public record Stored(int rows, boolean before) {
    }

    private final Pool pool;

    public StatisticWriter(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stored> store(String endpoint, OffsetDateTime fetchedAt, FlatDocument document) {
        String[] keys = document.keys().toArray(String[]::new);
        Numeric[] values = document.values().stream().map(Numeric::create).toArray(Numeric[]::new);
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK).execute(Tuple.of(endpoint))
                .chain(() -> connection.preparedQuery(STORED).execute(Tuple.of(endpoint, fetchedAt)))
                .chain(found -> found.size() > 0
                        ? Uni.createFrom().item(new Stored(0, true))
                        : insert(connection, endpoint, fetchedAt, keys, values)));
    }

    private static Uni<Stored> insert(SqlConnection connection, String endpoint, OffsetDateTime fetchedAt,
            String[] keys, Numeric[] values) {
        if (keys.length == 0) {
            return Uni.createFrom().item(new Stored(0, false));
        }
        return connection.preparedQuery(INSERT).execute(Tuple.of(endpoint, fetchedAt, keys, values))
                .map(result -> new Stored(result.rowCount(), false));
    }
}
