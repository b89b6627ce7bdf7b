package dev.offload.stats;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Stores one fetch: its {@link StatisticFetch} row and all its rows in one transaction, the rows in
 * one statement (key and value arrays unnested server-side), so readers see all of a fetch or none of
 * it. A fetch already stored for the same endpoint and fetch time (a CronJob started twice) adds nothing.
 */
@ApplicationScoped
public class StatisticWriter {

    /** A concurrent run storing the same fetch holds this key until it commits; then this one inserts nothing. */
    private static final String FETCH = """
            INSERT INTO statistic_fetch (endpoint, fetched_at, row_count, skipped) VALUES ($1, $2, $3, $4)
            ON CONFLICT (endpoint, fetched_at) DO NOTHING""";
    /** Room to sort a large fetch in memory: the default 4 MB spills 100,000 keys to disk. */
    private static final String SORT_MEMORY = "SET LOCAL work_mem = '64MB'";
    /**
     * Sorted, so the new fetch is appended at the end of its endpoint's range of the primary key (in
     * document order it would land all over that range, at twice the cost). No ON CONFLICT: the fetch
     * row above makes this run the only one writing this fetch and the flattener's key paths are
     * unique, so nothing can conflict, and speculative insertion would double the cost.
     */
    private static final String ROWS = """
            INSERT INTO statistic (endpoint, fetched_at, key, numeric_value)
            SELECT $1, $2, t.key, t.value FROM unnest($3::varchar[], $4::numeric[]) AS t (key, value)
            ORDER BY t.key COLLATE "C\"""";

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
        Tuple fetch = Tuple.of(endpoint, fetchedAt, keys.length, (int) Math.min(Integer.MAX_VALUE, document.skipped()));
        return pool.withTransaction(connection -> connection.preparedQuery(FETCH).execute(fetch)
                .chain(inserted -> inserted.rowCount() == 0
                        ? Uni.createFrom().item(new Stored(0, true))
                        : rows(connection, endpoint, fetchedAt, keys, values)));
    }

    private static Uni<Stored> rows(SqlConnection connection, String endpoint, OffsetDateTime fetchedAt, String[] keys,
            Numeric[] values) {
        if (keys.length == 0) {
            return Uni.createFrom().item(new Stored(0, false));
        }
        return connection.query(SORT_MEMORY).execute()
                .chain(() -> connection.preparedQuery(ROWS).execute(Tuple.of(endpoint, fetchedAt, keys, values)))
                .map(result -> new Stored(result.rowCount(), false));
    }
}
