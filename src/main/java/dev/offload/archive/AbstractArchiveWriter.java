package dev.offload.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every backend's writer shares: the path rules and the set of paths taken, the counts, progress on the
 * caller's thread, the writer's life (open, finished, failed, closed), and copying content with its size checked.
 */
public abstract class AbstractArchiveWriter implements ArchiveWriter {

    /** Content is read and written in chunks of this size; progress is told after each. */
    protected static final int CHUNK = 128 * 1024;

    private final WriteProgress progress;
    private final Instant openedAt = Instant.now();
    private final Set<String> files = new HashSet<>();
    private final Set<String> directories = new HashSet<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong entriesDone = new AtomicLong();
    private long entries;
    private boolean finished;
    private boolean failed;
    private boolean closed;
    /** Set once the archive is given up, so compression threads stop reading content. */
    private volatile boolean abandoned;

    protected AbstractArchiveWriter(WriteProgress progress) {
        this.progress = progress == null ? WriteProgress.NONE : progress;
    }

    @Override
    public final void add(String path, long size, Instant modified, EntryContent content) throws IOException {
        ensureUsable();
        if (size < 0) {
            throw new IllegalArgumentException("entry " + EntryPaths.quote(path) + " has a negative size");
        }
        reserve(path);
        entries++;
        try {
            write(path, size, modified == null ? openedAt : modified, content);
        } catch (IOException | RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    @Override
    public final void finish() throws IOException {
        ensureUsable();
        try {
            complete();
            finished = true;
        } catch (IOException | RuntimeException | Error e) {
            fail();
            throw e;
        }
        reportProgress();
    }

    @Override
    public final void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            abandoned = true;
        }
        release(finished);
    }

    @Override
    public final long entries() {
        return entries;
    }

    @Override
    public final long bytes() {
        return bytes.get();
    }

    /** Writes one entry, or hands it to compression threads; on the caller's thread. */
    protected abstract void write(String path, long size, Instant modified, EntryContent content) throws IOException;

    /** Writes what is pending and the archive's end; flushes the output. */
    protected abstract void complete() throws IOException;

    /** Releases threads' work and temporary files; {@code finished} tells whether the archive was completed. */
    protected abstract void release(boolean finished) throws IOException;

    /** Counts content read, on any thread. */
    protected final void counted(long n) {
        bytes.addAndGet(n);
    }

    /** Counts an entry whose content was read completely, on any thread. */
    protected final void entryRead() {
        entriesDone.incrementAndGet();
    }

    /** Tells progress the current counts; only on the caller's thread. */
    protected final void reportProgress() {
        progress.update(bytes.get(), entriesDone.get());
    }

    /** True once the archive was closed unfinished: work still running for it should stop. */
    protected final boolean abandoned() {
        return abandoned;
    }

    /**
     * Copies an entry's content into {@code target}, exactly {@code size} bytes, counting them. {@code onChunk}
     * runs after each chunk (progress on the caller's thread, nothing on a compression thread).
     */
    protected final void copy(String path, long size, InputStream in, OutputStream target, Runnable onChunk)
            throws IOException {
        byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(size + 1, 1))];
        long copied = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            if (abandoned) {
                throw new InterruptedIOException("archive abandoned");
            }
            if (copied + n > size) {
                throw new IOException("entry " + EntryPaths.quote(path) + " has more content than the " + size
                        + " bytes declared");
            }
            target.write(buffer, 0, n);
            copied += n;
            counted(n);
            onChunk.run();
        }
        if (copied != size) {
            throw new IOException("entry " + EntryPaths.quote(path) + " has " + copied + " bytes of content, not the "
                    + size + " declared");
        }
        entryRead();
    }

    private void reserve(String path) {
        EntryPaths.check(path);
        if (files.contains(path)) {
            throw new InvalidEntryPathException(path, "is already in the archive");
        }
        if (directories.contains(path)) {
            throw new InvalidEntryPathException(path, "is already a directory of the archive");
        }
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String parent = path.substring(0, slash);
            if (files.contains(parent)) {
                throw new InvalidEntryPathException(path, "is inside " + EntryPaths.quote(parent)
                        + ", which is a file of the archive");
            }
        }
        files.add(path);
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            directories.add(path.substring(0, slash));
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("the archive writer is closed");
        }
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        if (failed) {
            throw new IllegalStateException("the archive failed earlier; close it and discard the output");
        }
    }

    private void fail() {
        failed = true;
        abandoned = true;
    }
}
