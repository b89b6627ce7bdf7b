package dev.offload.stats;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads gathered statistics: rows by endpoint, key prefix and time; the latest fetch's values; one
 * key's series; the distinct values of a named key segment.
 */
@ApplicationScoped
public class StatisticService {

    private final Pool pool;

    public StatisticService(Pool pool) {
        this.pool = pool;
    }

    /** One page of rows, newest fetch first, then by endpoint and key; {@code size + 1} rows tell if more follow. */
    public Uni<List<Statistic>> list(String endpoint, String prefix, OffsetDateTime from, OffsetDateTime to,
            dev.offload.job.PageRequest page) {
        if (page.offset() + page.size() >= Integer.MAX_VALUE) {
            return Uni.createFrom().item(List.of()); // past any table this service keeps, and past Hibernate's int
        }
        int first = (int) page.offset();
        int size = page.size();
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (endpoint != null) {
            where.add("endpoint = :endpoint");
            params.and("endpoint", endpoint);
        }
        if (prefix != null) {
            // The range is what an index can use (in a generic plan too); the LIKE is exact.
            where.add("key >= :prefix and key < :after and (key = :prefix or key like :below escape '\\')");
            params.and("prefix", prefix).and("after", after(prefix)).and("below", likeEscape(prefix) + ".%");
        }
        if (from != null) {
            where.add("fetchedAt >= :from");
            params.and("from", from);
        }
        if (to != null) {
            where.add("fetchedAt <= :to");
            params.and("to", to);
        }
        Sort newestFirst = Sort.descending("fetchedAt").and("endpoint").and("key");
        return Panache.withSession(() -> (where.isEmpty()
                ? Statistic.<Statistic>findAll(newestFirst)
                : Statistic.<Statistic>find(String.join(" and ", where), newestFirst, params))
                .range(first, first + size).list());
    }

    /** One key of one endpoint over time, oldest first: one index probe per fetch. */
    public Uni<List<Statistic>> series(String endpoint, String key, OffsetDateTime from, OffsetDateTime to) {
        List<Object> params = new ArrayList<>(List.of(endpoint, key));
        String sql = "SELECT s.endpoint, s.key, s.numeric_value, s.fetched_at FROM statistic_fetch f"
                + " JOIN statistic s ON s.endpoint = f.endpoint AND s.fetched_at = f.fetched_at AND s.key = $2"
                + " WHERE f.endpoint = $1" + timeRange("f", from, to, params) + " ORDER BY f.fetched_at";
        return rows(sql, params);
    }

    /**
     * The values of each endpoint's most recent fetch, by endpoint and key. A key the endpoint no longer
     * publishes is not among them; its history stays in the rows and its series.
     */
    public Uni<List<Statistic>> latest(String endpoint, String prefix) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT s.endpoint, s.key, s.numeric_value, s.fetched_at FROM (" + latestFetches(endpoint, params)
                + ") f JOIN statistic s ON s.endpoint = f.endpoint AND s.fetched_at = f.fetched_at"
                + (prefix == null ? "" : " WHERE " + keyBelow("s", prefix, params))
                + " ORDER BY s.endpoint, s.key";
        return rows(sql, params);
    }

    /**
     * The distinct values the pattern's named segment takes, sorted: in each endpoint's most recent
     * fetch, or in every fetch between {@code from} and {@code to} when either is given.
     */
    public Uni<List<String>> segmentValues(SegmentPattern pattern, String endpoint, OffsetDateTime from,
            OffsetDateTime to) {
        List<Object> params = new ArrayList<>(List.of(pattern.regex()));
        String fetches;
        if (from == null && to == null) {
            fetches = latestFetches(endpoint, params);
        } else {
            fetches = "SELECT endpoint, fetched_at FROM statistic_fetch WHERE true"
                    + (endpoint == null ? "" : " AND endpoint = $" + add(params, endpoint))
                    + timeRange("statistic_fetch", from, to, params);
        }
        String range = pattern.head().isEmpty() ? ""
                : " AND s.key > $" + add(params, pattern.head() + ".") + " AND s.key < $" + add(params, after(pattern.head()));
        String sql = "SELECT DISTINCT substring(s.key FROM $1) AS value FROM (" + fetches + ") f"
                + " JOIN statistic s ON s.endpoint = f.endpoint AND s.fetched_at = f.fetched_at"
                + " WHERE s.key ~ $1" + range + " ORDER BY value";
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<String> values = new ArrayList<>(rows.size());
            rows.forEach(row -> values.add(row.getString(0)));
            return values;
        });
    }

    /** Each endpoint's (or the one endpoint's) most recent fetch: endpoint, fetched_at. */
    private static String latestFetches(String endpoint, List<Object> params) {
        return "SELECT DISTINCT ON (endpoint) endpoint, fetched_at FROM statistic_fetch"
                + (endpoint == null ? "" : " WHERE endpoint = $" + add(params, endpoint))
                + " ORDER BY endpoint, fetched_at DESC";
    }

    private static String timeRange(String table, OffsetDateTime from, OffsetDateTime to, List<Object> params) {
        return (from == null ? "" : " AND " + table + ".fetched_at >= $" + add(params, from))
                + (to == null ? "" : " AND " + table + ".fetched_at <= $" + add(params, to));
    }

    /** The key {@code prefix} and every key below it: an index range, then the exact test. */
    private static String keyBelow(String table, String prefix, List<Object> params) {
        int exact = add(params, prefix);
        int after = add(params, after(prefix));
        int below = add(params, likeEscape(prefix) + ".%");
        String key = table + ".key";
        return key + " >= $" + exact + " AND " + key + " < $" + after + " AND (" + key + " = $" + exact + " OR " + key
                + " LIKE $" + below + " ESCAPE '\\')";
    }

    /**
     * The least string above every key path that starts with {@code prefix} and a dot: keys compare
     * byte by byte (COLLATE "C") and '/' follows '.'.
     */
    static String after(String prefix) {
        return prefix + "/";
    }

    private static int add(List<Object> params, Object value) {
        params.add(value);
        return params.size();
    }

    private Uni<List<Statistic>> rows(String sql, List<Object> params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<Statistic> statistics = new ArrayList<>(rows.size());
            rows.forEach(row -> statistics.add(statistic(row)));
            return statistics;
        });
    }

    /** {@code text} as a LIKE pattern that matches only itself. */
    static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Statistic statistic(Row row) {
        Statistic statistic = new Statistic();
        statistic.endpoint = row.getString("endpoint");
        statistic.key = row.getString("key");
        statistic.numericValue = row.getBigDecimal("numeric_value");
        statistic.fetchedAt = row.getOffsetDateTime("fetched_at");
        return statistic;
    }
}
