package dev.offload.archive.backends;

import dev.offload.archive.AbstractArchiveWriter;
import dev.offload.archive.CompressionPool;
import dev.offload.archive.EntryContent;
import dev.offload.archive.EntryPaths;
import dev.offload.archive.WriteProgress;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * A zip written with commons-compress. Serially, each entry is deflated into the output as it is read.
 *
 * <p>In parallel, the caller's thread reads each entry in chunks of 1 MiB and hands them to the pool, where they
 * are deflated as pigz does ({@link DeflateChunks}): a large entry uses every thread, and small entries are
 * deflated side by side. Finished chunks are gathered in order into the entry's store (1 MiB in memory, the rest
 * in a temporary file); when an entry's last chunk is in, it is added to the zip as a raw entry, its CRC (computed
 * on the caller's thread) and sizes known, so the local header needs no data descriptor. At most {@code 2 x
 * threads} chunks are in flight, and only the entry being gathered has a store: memory stays at a few MiB per
 * thread, and temporary files hold at most one entry's compressed bytes. Entries over {@link #DIRECT_ABOVE} are
 * deflated on the caller's thread straight into the output, so no temporary file ever holds more than that.
 *
 * <p>commons-compress's {@code ParallelScatterZipCreator} deflates whole entries side by side instead, keeps every
 * entry of the archive in one temporary file per thread until the end and writes them grouped by thread rather
 * than in order: its disk use grows with the archive, and one large entry runs on one thread.
 */
final class ZipWriter extends AbstractArchiveWriter {

    static final int LEVEL = 6;
    /** Compressed bytes of the entry being gathered kept in memory; the rest goes to a temporary file. */
    static final int MEMORY_PER_ENTRY = 1 << 20;
    /** Entries larger than this are deflated on the caller's thread straight into the output. */
    static final long DIRECT_ABOVE = 256L << 20;
    private static final int FILE_MODE = 0100644;
    private static final long WAIT_SLICE_MS = 200;

    private final ZipArchiveOutputStream zip;
    private final ExecutorService executor;
    private final int maxInFlight;
    private final ArrayDeque<Part> inFlight = new ArrayDeque<>();
    /** The entry whose chunks are being gathered, if any. */
    private Gathered gathering;

    ZipWriter(OutputStream out, CompressionPool pool, WriteProgress progress) {
        super(progress);
        this.zip = new ZipArchiveOutputStream(new BufferedOutputStream(new Unclosed(out), 64 * 1024));
        zip.setEncoding(StandardCharsets.UTF_8.name());
        zip.setUseLanguageEncodingFlag(true);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setMethod(ZipEntry.DEFLATED);
        zip.setLevel(LEVEL);
        this.executor = pool.parallel() ? pool.executor() : null;
        this.maxInFlight = 2 * pool.threads();
    }

    @Override
    protected void write(String path, long size, Instant modified, EntryContent content) throws IOException {
        if (executor == null || size > DIRECT_ABOVE) {
            drain(0);
            writeDirect(path, size, modified, content);
            return;
        }
        Gathered entry = new Gathered(path, size, modified);
        try (InputStream in = content.open()) {
            byte[] previous = null;
            long read = 0;
            do {
                int length = (int) Math.min(DeflateChunks.CHUNK, size - read);
                byte[] chunk = in.readNBytes(length);
                if (chunk.length < length) {
                    throw new IOException("entry " + EntryPaths.quote(path) + " has " + (read + chunk.length)
                            + " bytes of content, not the " + size + " declared");
                }
                read += length;
                boolean last = read == size;
                if (last && in.read() >= 0) {
                    throw new IOException("entry " + EntryPaths.quote(path) + " has more content than the " + size
                            + " bytes declared");
                }
                entry.crc.update(chunk);
                byte[] before = previous;
                inFlight.addLast(new Part(entry, executor.submit(
                        () -> DeflateChunks.compress(chunk, chunk.length, before, last, LEVEL)), last));
                previous = chunk;
                counted(length);
                if (last) {
                    entryRead();
                }
                drain(maxInFlight - 1);
                reportProgress();
            } while (read < size);
        }
    }

    private void writeDirect(String path, long size, Instant modified, EntryContent content) throws IOException {
        zip.putArchiveEntry(entry(path, size, modified));
        try (InputStream in = content.open()) {
            copy(path, size, in, zip, this::reportProgress);
        }
        zip.closeArchiveEntry();
    }

    /** Gathers finished chunks in order until at most {@code keep} are in flight (and any finished ones are taken). */
    private void drain(int keep) throws IOException {
        while (inFlight.size() > keep || (!inFlight.isEmpty() && inFlight.peekFirst().deflated.isDone())) {
            Part part = inFlight.peekFirst();
            ByteArrayOutputStream deflated = await(part.deflated);
            inFlight.removeFirst();
            if (gathering != part.entry) {
                gathering = part.entry;
                gathering.store = new SpillingStore(MEMORY_PER_ENTRY);
            }
            gathering.store.writeOut(deflated.toByteArray(), 0, deflated.size());
            gathering.compressedSize += deflated.size();
            if (part.last) {
                addGathered();
            }
        }
    }

    private void addGathered() throws IOException {
        Gathered entry = gathering;
        ZipArchiveEntry header = entry(entry.path, entry.size, entry.modified);
        header.setCrc(entry.crc.getValue());
        header.setCompressedSize(entry.compressedSize);
        try {
            entry.store.closeForWriting();
            try (InputStream raw = entry.store.getInputStream()) {
                zip.addRawArchiveEntry(header, raw);
            }
        } finally {
            entry.store.close();
            gathering = null;
        }
    }

    private ByteArrayOutputStream await(Future<ByteArrayOutputStream> future) throws IOException {
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
        drain(0);
        zip.finish();
        zip.flush();
    }

    @Override
    protected void release(boolean finished) throws IOException {
        // Chunks still deflating only fill memory of their own; the one store is this thread's.
        for (Part part : inFlight) {
            part.deflated.cancel(false);
        }
        inFlight.clear();
        if (gathering != null && gathering.store != null) {
            gathering.store.close();
            gathering = null;
        }
    }

    private static ZipArchiveEntry entry(String path, long size, Instant modified) {
        ZipArchiveEntry entry = new ZipArchiveEntry(path);
        entry.setMethod(ZipEntry.DEFLATED);
        entry.setSize(size);
        entry.setTime(modified.toEpochMilli());
        entry.setUnixMode(FILE_MODE);
        return entry;
    }

    /** An entry whose chunks are deflating: its CRC as read, and its store once its first chunk is gathered. */
    private static final class Gathered {
        final String path;
        final long size;
        final Instant modified;
        final CRC32 crc = new CRC32();
        SpillingStore store;
        long compressedSize;

        Gathered(String path, long size, Instant modified) {
            this.path = path;
            this.size = size;
            this.modified = modified;
        }
    }

    private record Part(Gathered entry, Future<ByteArrayOutputStream> deflated, boolean last) {
    }
}
