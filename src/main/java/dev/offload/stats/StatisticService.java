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
 * Reads gathered statistics: rows by endpoint, key prefix and time; the latest value of each key;
 * one key's series; the distinct values of a named key segment.
 */
@ApplicationScoped
public class StatisticService {

    private final Pool pool;

    public StatisticService(Pool pool) {
        this.pool = pool;
    }

    /** One page of rows, newest fetch first, then by endpoint and key; {@code size + 1} rows tell if more follow. */
    public Uni<List<Statistic>> list(String endpoint, String prefix, OffsetDateTime from, OffsetDateTime to, int page,
            int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (endpoint != null) {
            where.add("endpoint = :endpoint");
            params.and("endpoint", endpoint);
        }
        if (prefix != null) {
            where.add("(key = :prefix or key like :below escape '\\')");
            params.and("prefix", prefix).and("below", likeEscape(prefix) + ".%");
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
                .range(page * size, page * size + size).list());
    }

    /** One key of one endpoint over time, oldest first. */
    public Uni<List<Statistic>> series(String endpoint, String key, OffsetDateTime from, OffsetDateTime to) {
        Parameters params = Parameters.with("endpoint", endpoint).and("key", key);
        StringBuilder where = new StringBuilder("endpoint = :endpoint and key = :key");
        if (from != null) {
            where.append(" and fetchedAt >= :from");
            params.and("from", from);
        }
        if (to != null) {
            where.append(" and fetchedAt <= :to");
            params.and("to", to);
        }
        return Panache.withSession(() -> Statistic.<Statistic>find(where.toString(), Sort.ascending("fetchedAt"), params)
                .list());
    }

    /** Each key's value from the most recent fetch that had it, by endpoint and key. */
    public Uni<List<Statistic>> latest(String endpoint, String prefix) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (endpoint != null) {
            params.add(endpoint);
            where.add("endpoint = $" + params.size());
        }
        if (prefix != null) {
            params.add(prefix);
            params.add(likeEscape(prefix) + ".%");
            where.add("(key = $" + (params.size() - 1) + " OR key LIKE $" + params.size() + " ESCAPE '\\')");
        }
        // Walking the primary key backwards hands DISTINCT ON each key's newest row first.
        String sql = "SELECT endpoint, key, numeric_value, fetched_at FROM ("
                + "SELECT DISTINCT ON (endpoint, key) endpoint, key, numeric_value, fetched_at FROM statistic"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY endpoint DESC, key DESC, fetched_at DESC) latest ORDER BY endpoint, key";
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<Statistic> latest = new ArrayList<>(rows.size());
            rows.forEach(row -> latest.add(statistic(row)));
            return latest;
        });
    }

    /** The distinct values the pattern's named segment takes in stored key paths, sorted. */
    public Uni<List<String>> segmentValues(SegmentPattern pattern, String endpoint) {
        List<Object> params = new ArrayList<>(List.of(pattern.regex(), pattern.likePrefix()));
        String sql = "SELECT DISTINCT substring(key FROM $1) AS value FROM statistic"
                + " WHERE key LIKE $2 ESCAPE '\\' AND key ~ $1";
        if (endpoint != null) {
            params.add(endpoint);
            sql += " AND endpoint = $3";
        }
        return pool.preparedQuery(sql + " ORDER BY value").execute(Tuple.from(params)).map(rows -> {
            List<String> values = new ArrayList<>(rows.size());
            rows.forEach(row -> values.add(row.getString(0)));
            return values;
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
