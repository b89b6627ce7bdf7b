package dev.offload.archive;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.job.JobContext;
import dev.offload.storage.FileSink;
import dev.offload.storage.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A source deleted while its archive is made ends the job with an error naming the entry, whichever backend
 * writes it and whether the file is gone when opened or between two chunks (as PostgreSQL's store reports it).
 */
class ArchiveSourceGoneTest {

    private static final CompressionPool POOL = new CompressionPool(2);
    private final UUID kept = UUID.randomUUID();
    private final UUID gone = UUID.randomUUID();

    @AfterAll
    static void closePool() {
        POOL.shutdown();
    }

    @Test
    void shouldNameTheEntryWhoseSourceIsGoneMidRead() throws Exception {
        for (String backend : Fixtures.IDS) {
            Exception e = assertThrows(Exception.class, () -> run(backend, false), backend);
            assertTrue(messages(e).contains("'second/b.bin'"), backend + ": " + messages(e));
        }
    }

    @Test
    void shouldNameTheEntryWhoseSourceIsGoneWhenOpened() throws Exception {
        for (String backend : Fixtures.IDS) {
            Exception e = assertThrows(Exception.class, () -> run(backend, true), backend);
            assertTrue(messages(e).contains("'second/b.bin'"), backend + ": " + messages(e));
        }
    }

    /** The messages of an exception and its causes, as the job's error and its log would show them. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private void run(String backend, boolean goneAtOpen) throws Exception {
        byte[] first = Fixtures.text(1, 200_000);
        ArchiveRow row = new ArchiveRow("bundle", backend, "student", List.of(
                new ArchiveRow.Entry("first/a.txt", kept, first.length),
                new ArchiveRow.Entry("second/b.bin", gone, 300_000)), 2, first.length + 300_000L, 0, null, null);
        new ArchiveKind(Fixtures.backends(POOL)).run(null, new Context(row, Map.of(kept, first), goneAtOpen));
    }

    /** Just enough of a running job: the row, the two sources, a result kept in memory. */
    private final class Context implements JobContext<ArchiveRow> {
        private final ArchiveRow row;
        private final Map<UUID, byte[]> contents;
        private final boolean goneAtOpen;

        Context(ArchiveRow row, Map<UUID, byte[]> contents, boolean goneAtOpen) {
            this.row = row;
            this.contents = contents;
            this.goneAtOpen = goneAtOpen;
        }

        @Override
        public UUID jobId() {
            return UUID.randomUUID();
        }

        @Override
        public String owner() {
            return "owner";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public ArchiveRow row() {
            return row;
        }

        @Override
        public void saveRow(ArchiveRow row) {
        }

        @Override
        public void endBy(String transition) {
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean awaitCancelled(java.time.Duration timeout) {
            return false;
        }

        @Override
        public FileSink createResult(String contentType, String filename, OffsetDateTime expiresAt) {
            return new MemorySink();
        }

        @Override
        public Optional<StoredFile> result() {
            return Optional.empty();
        }

        @Override
        public StoredFile input(UUID fileId) {
            long size = row.entries().stream().filter(e -> e.fileId().equals(fileId)).findFirst().orElseThrow().size();
            return new StoredFile(fileId, "owner", "application/octet-stream", size, null, 1, null, null, null);
        }

        @Override
        public InputStream open(StoredFile file) {
            if (file.id().equals(kept)) {
                return new ByteArrayInputStream(contents.get(kept));
            }
            if (goneAtOpen) {
                throw new UncheckedIOException(new IOException("no such file: " + file.id()));
            }
            return new InputStream() {
                private int read;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    if (read >= 100_000) {
                        throw new IOException("chunk 1 of file " + file.id() + " is gone (deleted while read)");
                    }
                    int n = Math.min(length, 100_000 - read);
                    read += n;
                    return n;
                }
            };
        }

        @Override
        public void onAbort(Runnable cleanup) {
        }
    }

    private static final class MemorySink extends FileSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final UUID id = UUID.randomUUID();

        @Override
        public UUID id() {
            return id;
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public void abort() {
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }
    }
}
