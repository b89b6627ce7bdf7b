package dev.offload.storage;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Files on a directory every pod mounts (a shared volume): the row in {@code stored_file} as with every store,
 * the content in {@code <root>/<first two hex digits of the id>/<id>}. A file is written under a temporary
 * name and renamed once complete, so no reader ever sees part of one. Files written into PostgreSQL before the
 * switch to this store are still read from their chunks.
 */
public final class DirFileStore implements FileStore {

    private static final Logger LOG = Logger.getLogger(DirFileStore.class);
    private static final int BUFFER = 64 * 1024;
    private static final String PARTIAL = ".partial";

    private final Path root;
    private final StoredFileRows rows;
    private final PgFileStore chunks;
    private final Vertx vertx;
    private final StorageConfig config;

    DirFileStore(Path root, Pool pool, Vertx vertx, StorageConfig config) {
        this.root = root;
        this.rows = new StoredFileRows(pool, "true");
        this.chunks = new PgFileStore(pool, config);
        this.vertx = vertx;
        this.config = config;
    }

    /** The directory the content goes to. */
    public Path root() {
        return root;
    }

    @Override
    public FileSink create(String owner, String name, String contentType, OffsetDateTime expiresAt) {
        UUID id = UUID.randomUUID();
        rows.insert(id, owner, name, contentType, expiresAt);
        Path partial = partial(id);
        try {
            Files.createDirectories(partial.getParent());
            return new DirFileSink(id, expiresAt, FileChannel.open(partial, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            rows.delete(id);
            throw new UncheckedIOException("cannot create " + partial, e instanceof IOException io ? io : new IOException(e));
        }
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
        if (inChunks(file)) {
            return chunks.content(file);
        }
        return vertx.fileSystem().open(path(file.id()).toString(), new OpenOptions().setRead(true).setWrite(false)
                        .setCreate(false))
                .onItem().transformToMulti(opened -> opened.setReadBufferSize(BUFFER).toMulti()
                        .onTermination().call(() -> opened.close().onFailure().recoverWithNull()));
    }

    @Override
    public InputStream open(StoredFile file) {
        if (inChunks(file)) {
            return chunks.open(file);
        }
        try {
            return Files.newInputStream(path(file.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stored file " + file.id(), e);
        }
    }

    @Override
    public boolean delete(UUID id) {
        boolean existed = rows.delete(id);
        removeContent(id);
        return existed;
    }

    @Override
    public long deleteExpired(OffsetDateTime now) {
        long total = 0;
        while (true) {
            List<UUID> deleted = rows.deleteExpired(now, config.cleanupBatch());
            deleted.forEach(this::removeContent);
            total += deleted.size();
            if (deleted.size() < config.cleanupBatch()) {
                return total;
            }
        }
    }

    /** Written by the PostgreSQL store: its content is in chunks (an empty file has none anywhere). */
    private static boolean inChunks(StoredFile file) {
        return file.chunks() > 0;
    }

    Path path(UUID id) {
        String name = id.toString();
        return root.resolve(name.substring(0, 2)).resolve(name);
    }

    private Path partial(UUID id) {
        Path path = path(id);
        return path.resolveSibling(path.getFileName() + PARTIAL);
    }

    /** Removes what a file has on the directory, complete or not; the row is gone already, so this only logs. */
    private void removeContent(UUID id) {
        for (Path path : List.of(path(id), partial(id))) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warnf("cannot delete %s (its row is deleted): %s", path, e.getMessage());
            }
        }
    }

    /** Writes through a buffer into the temporary file, computing the checksum on the way. */
    private final class DirFileSink extends FileSink {
        private final UUID id;
        private final OffsetDateTime expiresAt;
        private final FileChannel channel;
        private final OutputStream out;
        private final MessageDigest sha256;
        private long size;
        private boolean closed;
        private boolean aborted;

        DirFileSink(UUID id, OffsetDateTime expiresAt, FileChannel channel) {
            this.id = id;
            this.expiresAt = expiresAt;
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
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
            out.write(b);
            sha256.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            out.write(bytes, offset, length);
            sha256.update(bytes, offset, length);
            size += length;
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            out.flush();
        }

        /** Completes the file: on disk first (synced, then renamed), then its row; if anything fails, nothing is left. */
        @Override
        public void close() throws IOException {
            if (closed || aborted) {
                return;
            }
            try {
                out.flush();
                channel.force(true);
                out.close();
                Files.move(partial(id), path(id), StandardCopyOption.ATOMIC_MOVE);
                closed = true;
                if (!rows.complete(id, size, HexFormat.of().formatHex(sha256.digest()), 0, expiresAt)) {
                    throw new IOException("stored file " + id + " was deleted while it was written");
                }
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        @Override
        public void abort() {
            if (aborted) {
                return;
            }
            aborted = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted below either way
            }
            delete(id);
        }

        private void ensureOpen() throws IOException {
            if (closed || aborted) {
                throw new IOException("stored file " + id + " is " + (closed ? "closed" : "aborted"));
            }
        }
    }
}
