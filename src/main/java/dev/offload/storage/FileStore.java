package dev.offload.storage;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Results and uploads, streamed in and out, never held whole in memory. Every file has an owner, a
 * content type, a size, a SHA-256 checksum and an expiry. The store knows nothing of jobs or kinds.
 * Blocking methods are for worker threads; the reactive ones serve downloads from the event loop.
 * Which store runs is set by {@code offload.storage.backend} (see {@link FileStores}).
 */
public interface FileStore {

    /** Starts a new, incomplete file without a name (blocking). */
    default FileSink create(String owner, String contentType, OffsetDateTime expiresAt) {
        return create(owner, null, contentType, expiresAt);
    }

    /** Starts a new, incomplete file named {@code name} (null for none) (blocking). */
    FileSink create(String owner, String name, String contentType, OffsetDateTime expiresAt);

    /** The file if it is complete and not expired; a null item otherwise. */
    Uni<StoredFile> find(UUID id);

    /**
     * Complete, unexpired files, newest first, {@code limit} of them from {@code offset}: {@code owner}'s, or
     * everyone's when {@code owner} is null.
     */
    Uni<List<StoredFile>> list(String owner, long offset, int limit);

    /** The content of a complete file, chunk by chunk, each read when the previous one was consumed. */
    Multi<Buffer> content(StoredFile file);

    /** The content of a complete file as a blocking stream, chunk by chunk. */
    InputStream open(StoredFile file);

    /** Deletes a file and its content, complete or not (blocking); false when there was none. */
    boolean delete(UUID id);

    /** Deletes every file expired at {@code now}, complete or not (blocking); returns how many. */
    long deleteExpired(OffsetDateTime now);
}
