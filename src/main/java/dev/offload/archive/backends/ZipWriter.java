package dev.offload.archive.backends;

import dev.offload.archive.AbstractArchiveWriter;
import dev.offload.archive.CompressionPool;
import dev.offload.archive.EntryContent;
import dev.offload.archive.EntryPaths;
import dev.offload.archive.WriteProgress;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.StreamCompressor;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * A zip written with commons-compress. Serially, each entry is deflated into the output as it is read. In parallel,
 * each entry is deflated on the pool into a store of its own (memory up to 1 MiB, a temporary file past that),
 * and the caller's thread adds the finished entries to the zip in the order they were given, as raw entries whose
 * CRC and sizes are then known. At most {@code threads + 1} entries are deflating or waiting, so memory stays
 * under {@code (threads + 1)} MiB of compressed data plus the deflaters, and temporary files hold at most
 * {@code threads + 1} entries' compressed bytes. Entries over {@link #DIRECT_ABOVE} are deflated straight into
 * the output on the caller's thread (after the entries before them), so no temporary file ever holds one.
 *
 * <p>commons-compress's {@code ParallelScatterZipCreator} does the same deflating but keeps every entry, of the
 * whole archive, in one temporary file per thread until the end, and writes them grouped by thread rather than
 * in order: its disk use grows with the archive, which this bounded window avoids.
 */
final class ZipWriter extends AbstractArchiveWriter {

    static final int LEVEL = 6;
    /** Compressed bytes of one waiting entry kept in memory; the rest goes to a temporary file. */
    static final int MEMORY_PER_ENTRY = 1 << 20;
    /** Entries larger than this are deflated on the caller's thread straight into the output. */
    static final long DIRECT_ABOVE = 256L << 20;
    private static final int FILE_MODE = 0100644;
    private static final long WAIT_SLICE_MS = 200;

    private final ZipArchiveOutputStream zip;
    private final ExecutorService executor;
    private final int window;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    ZipWriter(OutputStream out, CompressionPool pool, WriteProgress progress) {
        super(progress);
        this.zip = new ZipArchiveOutputStream(new BufferedOutputStream(new Unclosed(out), 64 * 1024));
        zip.setEncoding(StandardCharsets.UTF_8.name());
        zip.setUseLanguageEncodingFlag(true);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setMethod(ZipEntry.DEFLATED);
        zip.setLevel(LEVEL);
        this.executor = pool.parallel() ? pool.executor() : null;
        this.window = pool.threads() + 1;
    }

    @Override
    protected void write(String path, long size, Instant modified, EntryContent content) throws IOException {
        if (executor == null || size > DIRECT_ABOVE) {
            while (!pending.isEmpty()) {
                writeOldest();
            }
            writeDirect(path, size, modified, content);
            return;
        }
        Pending entry = new Pending(path, size, modified, new SpillingStore(MEMORY_PER_ENTRY));
        entry.result = executor.submit(() -> entry.deflate(content));
        pending.addLast(entry);
        while (pending.size() > window || (!pending.isEmpty() && pending.peekFirst().result.isDone())) {
            writeOldest();
        }
    }

    private void writeDirect(String path, long size, Instant modified, EntryContent content) throws IOException {
        zip.putArchiveEntry(entry(path, size, modified));
        try (InputStream in = content.open()) {
            copy(path, size, in, zip, this::reportProgress);
        }
        zip.closeArchiveEntry();
    }

    private void writeOldest() throws IOException {
        Pending oldest = pending.peekFirst();
        Deflated deflated = await(oldest.result);
        ZipArchiveEntry entry = entry(oldest.path, oldest.size, oldest.modified);
        entry.setCrc(deflated.crc());
        entry.setCompressedSize(deflated.compressedSize());
        try (InputStream raw = oldest.store.getInputStream()) {
            zip.addRawArchiveEntry(entry, raw);
        } finally {
            pending.removeFirst();
            oldest.store.close();
        }
        reportProgress();
    }

    private Deflated await(Future<Deflated> future) throws IOException {
        while (true) {
            try {
                return future.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                reportProgress();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for compression");
            } catch (ExecutionException e) {
                throw OrderedBlockOutputStream.unwrap(e.getCause());
            }
        }
    }

    @Override
    protected void complete() throws IOException {
        while (!pending.isEmpty()) {
            writeOldest();
        }
        zip.finish();
        zip.flush();
    }

    @Override
    protected void release(boolean finished) throws IOException {
        for (Pending entry : pending) {
            entry.discard();
        }
        pending.clear();
    }

    private static ZipArchiveEntry entry(String path, long size, Instant modified) {
        ZipArchiveEntry entry = new ZipArchiveEntry(path);
        entry.setMethod(ZipEntry.DEFLATED);
        entry.setSize(size);
        entry.setTime(modified.toEpochMilli());
        entry.setUnixMode(FILE_MODE);
        return entry;
    }

    private record Deflated(long crc, long compressedSize) {
    }

    /** An entry handed to the pool; its store is removed by whoever finishes last, the task or the discarding writer. */
    private final class Pending {
        final String path;
        final long size;
        final Instant modified;
        final SpillingStore store;
        Future<Deflated> result;
        private boolean taskDone;
        private boolean discarded;

        Pending(String path, long size, Instant modified, SpillingStore store) {
            this.path = path;
            this.size = size;
            this.modified = modified;
            this.store = store;
        }

        Deflated deflate(EntryContent content) throws IOException {
            try (InputStream in = content.open(); StreamCompressor compressor = StreamCompressor.create(LEVEL, store)) {
                Checked checked = new Checked(in);
                compressor.deflate(checked, ZipEntry.DEFLATED);
                checked.end();
                store.closeForWriting();
                return new Deflated(compressor.getCrc32(), compressor.getBytesWrittenForLastEntry());
            } finally {
                synchronized (this) {
                    taskDone = true;
                    if (discarded) {
                        store.close();
                    }
                }
            }
        }

        /** A task that never starts creates no file; one running sees {@code discarded} when it ends. */
        void discard() throws IOException {
            result.cancel(false);
            synchronized (this) {
                discarded = true;
                if (taskDone) {
                    store.close();
                }
            }
        }

        /** The entry's content, counted and held to its declared size, stopping once the archive is abandoned. */
        private final class Checked extends FilterInputStream {
            private long read;

            Checked(InputStream in) {
                super(in);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (abandoned()) {
                    throw new InterruptedIOException("archive abandoned");
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    read += n;
                    if (read > size) {
                        throw new IOException("entry " + EntryPaths.quote(path)
                                + " has more content than the " + size + " bytes declared");
                    }
                    counted(n);
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            void end() throws IOException {
                if (read != size) {
                    throw new IOException("entry " + EntryPaths.quote(path) + " has " + read
                            + " bytes of content, not the " + size + " declared");
                }
                entryRead();
            }
        }
    }
}
