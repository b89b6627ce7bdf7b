package dev.offload.report;

import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedStatement;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Streams a query's rows to a blocking consumer (a generator on a worker thread) through a database cursor,
 * {@code fetchSize} rows per round trip; the next batch is fetched while this one is written, and never
 * more than two batches are in memory, whatever the row count.
 */
@ApplicationScoped
public class SqlRows {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** Takes one row; may throw (to stop, when cancelled). */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(Row row) throws Exception;
    }

    private final Pool pool;
    private final ReportConfig config;

    public SqlRows(Pool pool, ReportConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The single value of a query returning one row and one column (a count, say). */
    public long count(String sql, Tuple arguments) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(arguments).await().atMost(TIMEOUT);
        return rows.iterator().next().getLong(0);
    }

    /** Every row of a query, in order; returns how many. */
    public long forEach(String sql, Tuple arguments, RowConsumer consumer) throws Exception {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            // A cursor lives in a transaction; this one only reads.
            Transaction transaction = connection.begin().await().atMost(TIMEOUT);
            try {
                PreparedStatement statement = connection.prepare(sql).await().atMost(TIMEOUT);
                Cursor cursor = statement.cursor(arguments);
                long count = 0;
                CompletableFuture<RowSet<Row>> next = cursor.read(config.fetchSize()).subscribeAsCompletionStage();
                while (next != null) {
                    RowSet<Row> batch = get(next);
                    next = cursor.hasMore() ? cursor.read(config.fetchSize()).subscribeAsCompletionStage() : null;
                    for (Row row : batch) {
                        consumer.accept(row);
                        count++;
                    }
                }
                return count;
            } finally {
                transaction.rollback().onFailure().recoverWithNull().await().atMost(TIMEOUT);
            }
        } finally {
            connection.close().onFailure().recoverWithNull().await().atMost(TIMEOUT);
        }
    }

    private static RowSet<Row> get(CompletableFuture<RowSet<Row>> batch) throws Exception {
        try {
            return batch.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
