package dev.offload.transfer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The rows an import refused ({@code transfer_import_error}): written by its worker, read by the API. */
@ApplicationScoped
public class ImportErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, String>>> ERRORS = new TypeReference<>() {
    };

    /** A refused row as the API reads it. */
    public record Stored(long row, List<String> raw, List<Map<String, String>> errors) {
    }

    private final Resources resources;
    private final Pool pool;

    public ImportErrors(Resources resources, Pool pool) {
        this.resources = resources;
        this.pool = pool;
    }

    /** Replaces the job's refused rows with {@code errors} (blocking). */
    void replace(UUID job, List<ImportRun.RowError> errors) throws SQLException, java.io.IOException {
        try (Connection c = resources.own().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM transfer_import_error WHERE job_id = ?")) {
                s.setObject(1, job);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO transfer_import_error (job_id, row_no, raw, errors)"
                    + " VALUES (?, ?, ?::jsonb, ?::jsonb)")) {
                for (ImportRun.RowError e : errors) {
                    s.setObject(1, job);
                    s.setLong(2, e.row());
                    s.setString(3, e.raw() == null ? null : JSON.writeValueAsString(e.raw()));
                    s.setString(4, JSON.writeValueAsString(e.errors()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        }
    }

    /** {@code limit} refused rows of the job from {@code offset}, in row order (row 0: the file's own problems). */
    public Uni<List<Stored>> page(UUID job, long offset, int limit) {
        return pool.preparedQuery("SELECT row_no, raw::text, errors::text FROM transfer_import_error WHERE job_id = $1"
                        + " ORDER BY row_no LIMIT $2 OFFSET $3")
                .execute(Tuple.of(job, limit, offset))
                .map(rows -> {
                    List<Stored> found = new ArrayList<>();
                    for (Row r : rows) {
                        found.add(read(r));
                    }
                    return found;
                });
    }

    private static Stored read(Row r) {
        try {
            String raw = r.getString(1);
            return new Stored(r.getLong(0), raw == null ? null : JSON.readValue(raw, STRINGS),
                    JSON.readValue(r.getString(2), ERRORS));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
