package dev.offload.stats;

import dev.offload.transfer.RowHooks;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An import of the {@code statistics} resource backfills history: the statistics API reads values through
 * their fetches ({@code statistic_fetch}), so the import writes a fetch for every endpoint and fetch time its
 * file gives, with the fetch's row count, in the import's transaction.
 */
@ApplicationScoped
public class StatisticsImports implements RowHooks {

    /** The resource of the statistic table (application.properties). */
    public static final String RESOURCE = "statistics";

    private static final String FETCHES = "INSERT INTO statistic_fetch (endpoint, fetched_at, row_count, skipped)"
            + " SELECT s.endpoint, s.fetched_at, count(*), 0 FROM statistic s"
            + " JOIN unnest(?::text[], ?::timestamptz[]) f(endpoint, fetched_at)"
            + " ON s.endpoint = f.endpoint AND s.fetched_at = f.fetched_at GROUP BY s.endpoint, s.fetched_at"
            + " ON CONFLICT (endpoint, fetched_at) DO UPDATE SET row_count = EXCLUDED.row_count";

    @Override
    public String resource() {
        return RESOURCE;
    }

    @Override
    public ImportHook startImport() {
        return new ImportHook() {
            private final Set<List<String>> fetches = new LinkedHashSet<>();

            @Override
            public void row(ImportedRow row) {
                fetches.add(List.of(row.get("endpoint"), row.get("fetched_at")));
            }

            @Override
            public void finish(Connection connection) throws SQLException {
                if (fetches.isEmpty()) {
                    return;
                }
                List<String> endpoints = new ArrayList<>(fetches.size());
                List<String> times = new ArrayList<>(fetches.size());
                for (List<String> fetch : fetches) {
                    endpoints.add(fetch.get(0));
                    times.add(fetch.get(1));
                }
                try (PreparedStatement s = connection.prepareStatement(FETCHES)) {
                    s.setArray(1, connection.createArrayOf("text", endpoints.toArray()));
                    s.setArray(2, connection.createArrayOf("text", times.toArray()));
                    s.executeUpdate();
                }
            }
        };
    }
}
