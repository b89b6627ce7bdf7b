package dev.offload.archive;

import dev.offload.db.EngineDb;
import dev.offload.storage.CleanupStep;
import dev.offload.storage.FileStore;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code cleanup}'s archive step (devilry's {@code delete_compressed_archives_older_than} and its purge of marked
 * archives): marks deleted every archive older than {@code offload.archives.keep}, then purges every archive
 * marked deleted: its stored file goes, the archive's row stays as a record ({@code purged_at}).
 */
@ApplicationScoped
public class ArchiveCleanup implements CleanupStep {

    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    static final String MARK_OLD_SQL = "UPDATE archive_job a SET deleted_at = $2 FROM job j"
            + " WHERE j.id = a.job_id AND j.created_at < $1 AND a.deleted_at IS NULL";
    static final String DELETED_SQL = "SELECT a.job_id, j.result_file_id, a.name, a.backend FROM archive_job a JOIN job j ON j.id = a.job_id"
            + " WHERE a.deleted_at IS NOT NULL AND a.purged_at IS NULL ORDER BY a.deleted_at LIMIT $1";
    static final String PURGED_SQL = "UPDATE archive_job SET purged_at = $2 WHERE job_id = $1";

    private final Pool pool;
    private final FileStore store;
    private final ArchiveConfig config;

    public ArchiveCleanup(EngineDb db, FileStore store, ArchiveConfig config) {
        this.pool = db.pool();
        this.store = store;
        this.config = config;
    }

    @Override
    public String name() {
        Duration keep = config.keep();
        String age = keep.toSeconds() % 86_400 == 0 ? keep.toDays() + "d" : keep.toSeconds() + "s";
        return "archives older than " + age + " or marked deleted";
    }

    /** Before the expired files: an archive's file is removed here, counted as an archive. */
    @Override
    public int order() {
        return 50;
    }

    @Override
    public long run(OffsetDateTime now) {
        return run(now, removed -> { });
    }

    /** Marks, then purges, naming each archive purged: "archive {id} {name} ({backend})". */
    @Override
    public long run(OffsetDateTime now, Consumer<String> removed) {
        pool.preparedQuery(MARK_OLD_SQL).execute(Tuple.of(now.minus(config.keep()), now)).await().atMost(STATEMENT_TIMEOUT);
        long purged = 0;
        while (true) {
            var rows = pool.preparedQuery(DELETED_SQL).execute(Tuple.of(100)).await().atMost(STATEMENT_TIMEOUT);
            if (rows.size() == 0) {
                return purged;
            }
            for (Row row : rows) {
                UUID file = row.getUUID("result_file_id");
                if (file != null) {
                    store.delete(file);
                }
                pool.preparedQuery(PURGED_SQL).execute(Tuple.of(row.getUUID("job_id"), now)).await()
                        .atMost(STATEMENT_TIMEOUT);
                removed.accept("archive " + row.getUUID("job_id") + " " + row.getString("name") + " ("
                        + row.getString("backend") + ")");
                purged++;
            }
        }
    }
}
