package dev.offload.storage;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default store: files in PostgreSQL as fixed-size chunks ({@code stored_file}, {@code stored_file_chunk}),
 * so horizontally scaled pods need nothing else. A writer inserts chunks while it fills the next one.
 */
public final class PgFileStore implements FileStore {

    /** Rows whose content is in chunks (or that are empty): a file another store wrote elsewhere is not served. */
    static final String IN_CHUNKS = "(chunks > 0 OR size = 0)";

    private final Pool pool;
    private final StoredFileRows rows;
    private final StorageConfig config;

    PgFileStore(Pool pool, StorageConfig config) {
        this.pool = pool;
        this.rows = new StoredFileRows(pool, IN_CHUNKS);
        this.config = config;
    }

    @Override
    public FileSink create(String owner, String name, String contentType, OffsetDateTime expiresAt) {
        UUID id = UUID.randomUUID();
        rows.insert(id, owner, name, contentType, expiresAt);
        return new PgFileSink(id, expiresAt, (int) Math.max(1024, config.chunkSize().asLongValue()));
    }

    @Override
    public Uni<StoredFile> find(UUID id) {
        return rows.find(id);
    }

    @Override
    public Uni<List<StoredFile>> list(String owner, long offset, int limit) {
        return rows.list(owner, offset, limit);
    }

    @Override
    public Multi<Buffer> content(StoredFile file) {
        return Multi.createFrom().range(0, file.chunks())
                .onItem().transformToUniAndConcatenate(seq -> chunk(file.id(), seq));
    }

    @Override
    public InputStream open(StoredFile file) {
        return new ChunkInputStream(file);
    }

    @Override
    public boolean delete(UUID id) {
        return rows.delete(id);
    }

    @Override
    public long deleteExpired(OffsetDateTime now) {
        long total = 0;
        while (true) {
            int deleted = rows.deleteExpired(now, config.cleanupBatch()).size();
            total += deleted;
            if (deleted < config.cleanupBatch()) {
                return total;
            }
        }
    }

    private Uni<Buffer> chunk(UUID id, int seq) {
        return pool.preparedQuery("SELECT bytes FROM stored_file_chunk WHERE file_id = $1 AND seq = $2")
                .execute(Tuple.of(id, seq))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalStateException("chunk " + seq + " of file " + id + " is gone (deleted while read)");
                    }
                    return rows.iterator().next().getBuffer(0);
                });
    }

    private static <T> T await(Uni<T> uni) {
        return StoredFileRows.await(uni);
    }

    /**
     * Fills one chunk while the previous ones are being inserted (on their own connections, so the database
     * stores them side by side); at most {@value #IN_FLIGHT} + 1 chunks in memory.
     */
    private final class PgFileSink extends FileSink {
        private static final int IN_FLIGHT = 2;
        private final UUID id;
        private final OffsetDateTime expiresAt;
        private final java.security.MessageDigest sha256;
        private final java.util.ArrayDeque<byte[]> free = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Insert> inFlight = new java.util.ArrayDeque<>();
        private byte[] filling;
        private int position;
        private int seq;
        private long size;
        private boolean closed;
        private boolean aborted;

        PgFileSink(UUID id, OffsetDateTime expiresAt, int chunkSize) {
            this.id = id;
            this.expiresAt = expiresAt;
            this.filling = new byte[chunkSize];
            for (int i = 0; i < IN_FLIGHT; i++) {
                free.add(new byte[chunkSize]);
            }
            try {
                this.sha256 = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public UUID id() {
            return id;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            filling[position++] = (byte) b;
            size++;
            if (position == filling.length) {
                send();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            while (length > 0) {
                int n = Math.min(length, filling.length - position);
                System.arraycopy(bytes, offset, filling, position, n);
                position += n;
                offset += n;
                length -= n;
                size += n;
                if (position == filling.length) {
                    send();
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (closed || aborted) {
                return;
            }
            if (position > 0) {
                send();
            }
            settle();
            closed = true;
            if (!rows.complete(id, size, HexFormat.of().formatHex(sha256.digest()), seq, expiresAt)) {
                throw new IOException("stored file " + id + " was deleted while it was written");
            }
        }

        @Override
        public void abort() {
            if (aborted) {
                return;
            }
            aborted = true;
            while (!inFlight.isEmpty()) {
                try {
                    awaitOldest();
                } catch (IOException ignored) {
                    // the row goes anyway, and its chunks with it
                }
            }
            delete(id);
        }

        private void ensureOpen() throws IOException {
            if (closed || aborted) {
                throw new IOException("stored file " + id + " is " + (closed ? "closed" : "aborted"));
            }
        }

        /** Hands the filled chunk to the database and goes on with a free buffer (waiting for one if need be). */
        private void send() throws IOException {
            sha256.update(filling, 0, position);
            // Wrapped, not copied: this array is not touched again until its insert has finished.
            io.vertx.core.buffer.Buffer bytes = io.vertx.core.buffer.Buffer.buffer(
                    io.netty.buffer.Unpooled.wrappedBuffer(filling, 0, position));
            inFlight.add(new Insert(filling, pool.preparedQuery(
                            "INSERT INTO stored_file_chunk (file_id, seq, bytes) VALUES ($1, $2, $3)")
                    .execute(Tuple.of(id, seq++, bytes)).subscribeAsCompletionStage()));
            while (free.isEmpty()) {
                awaitOldest();
            }
            filling = free.poll();
            position = 0;
        }

        /** Waits until every insert has finished. */
        private void settle() throws IOException {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
        }

        private void awaitOldest() throws IOException {
            Insert oldest = inFlight.poll();
            try {
                oldest.done().get(StoredFileRows.STATEMENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                free.add(oldest.buffer());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while storing " + id, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot store a chunk of " + id + ": " + e.getMessage(), e);
            }
        }
    }

    /** A chunk being inserted, and the buffer it occupies until then. */
    private record Insert(byte[] buffer, CompletableFuture<RowSet<Row>> done) {
    }

    /** Reads one chunk at a time, when the previous one is used up. */
    private final class ChunkInputStream extends InputStream {
        private final StoredFile file;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        ChunkInputStream(StoredFile file) {
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (position == current.length) {
                if (next >= file.chunks()) {
                    return false;
                }
                try {
                    current = await(chunk(file.id(), next++)).getBytes();
                } catch (RuntimeException e) {
                    throw new IOException(e.getMessage(), e);
                }
                position = 0;
            }
            return true;
        }
    }
}
