package dev.offload.storage;

import dev.offload.db.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code stored_file} rows, which every store keeps in PostgreSQL whatever holds the content: who owns a
 * file, its name and type, and, once complete, its size and checksum. A store passes the condition under which
 * it can serve a row's content, so a row it cannot read looks like no file at all.
 */
final class StoredFileRows {

    static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(2);
    private static final String COLUMNS = "id, owner, content_type, size, sha256, chunks, created_at, expires_at, name";

    private final Pool pool;
    private final String readable;

    /** {@code readable}: an SQL condition on the row, true when this store can read the content. */
    StoredFileRows(Pool pool, String readable) {
        this.pool = pool;
        this.readable = readable;
    }

    Pool pool() {
        return pool;
    }

    /** Inserts the row of a new, incomplete file (blocking). */
    void insert(UUID id, String owner, String name, String contentType, OffsetDateTime expiresAt) {
        await(pool.preparedQuery("INSERT INTO stored_file (id, owner, name, content_type, created_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple().addUUID(id).addString(owner).addString(name).addString(contentType)
                        .addOffsetDateTime(Timestamps.now()).addOffsetDateTime(expiresAt)));
    }

    /** Marks a file complete (blocking); false when its row is gone (deleted while it was written). */
    boolean complete(UUID id, long size, String sha256, int chunks, OffsetDateTime expiresAt) {
        return await(pool.preparedQuery("UPDATE stored_file SET size = $2, sha256 = $3, chunks = $4, "
                        + "complete = true, expires_at = $5 WHERE id = $1")
                .execute(Tuple.of(id, size, sha256, chunks, expiresAt))).rowCount() > 0;
    }

    Uni<StoredFile> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM stored_file "
                        + "WHERE id = $1 AND complete AND expires_at > $2 AND " + readable)
                .execute(Tuple.of(id, Timestamps.now()))
                .map(rows -> rows.size() == 0 ? null : file(rows.iterator().next()));
    }

    /** Complete, unexpired files, newest first: {@code owner}'s, or everyone's when it is null. */
    Uni<List<StoredFile>> list(String owner, long offset, int limit) {
        String where = "complete AND expires_at > $1 AND " + readable + (owner == null ? "" : " AND owner = $4");
        Tuple args = Tuple.of(Timestamps.now(), limit, offset);
        if (owner != null) {
            args.addString(owner);
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM stored_file WHERE " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3")
                .execute(args)
                .map(rows -> {
                    List<StoredFile> files = new ArrayList<>(rows.size());
                    rows.forEach(row -> files.add(file(row)));
                    return files;
                });
    }

    /** Deletes a row and, through the foreign key, its chunks (blocking); false when there was none. */
    boolean delete(UUID id) {
        return await(pool.preparedQuery("DELETE FROM stored_file WHERE id = $1").execute(Tuple.of(id))).rowCount() > 0;
    }

    /** Deletes up to {@code limit} rows expired at {@code now}, complete or not (blocking); returns their ids. */
    List<UUID> deleteExpired(OffsetDateTime now, int limit) {
        List<UUID> deleted = new ArrayList<>();
        await(pool.preparedQuery("DELETE FROM stored_file WHERE id IN "
                        + "(SELECT id FROM stored_file WHERE expires_at <= $1 LIMIT $2) RETURNING id")
                .execute(Tuple.of(now, limit))).forEach(row -> deleted.add(row.getUUID(0)));
        return deleted;
    }

    private static StoredFile file(Row row) {
        return new StoredFile(row.getUUID("id"), row.getString("owner"), row.getString("content_type"),
                row.getLong("size"), row.getString("sha256"), row.getInteger("chunks"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at"), row.getString("name"));
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(STATEMENT_TIMEOUT);
    }
}
