package dev.offload.archive;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;

/**
 * An archive being written: {@link #add} each file, then {@link #finish()}, then {@link #close()} (in a
 * try-with-resources). Not thread-safe: one caller thread, which may be a job's worker thread; compression may
 * run on other threads behind it.
 *
 * <p>An {@link InvalidEntryPathException} from {@code add} (a bad or repeated path) leaves the writer as it was.
 * Any other exception leaves the archive unusable: close the writer and discard the output.
 */
public interface ArchiveWriter extends Closeable {

    /** Adds a regular file of exactly {@code size} bytes, stamped with the time the archive was opened. */
    default void add(String path, long size, EntryContent content) throws IOException {
        add(path, size, null, content);
    }

    /**
     * Adds a regular file of exactly {@code size} bytes (content with more or fewer fails the archive), modified
     * at {@code modified} (null: when the archive was opened). The path must pass {@link EntryPaths#check} and
     * be new to this archive (neither a path already added nor a directory of one, nor inside one).
     */
    void add(String path, long size, Instant modified, EntryContent content) throws IOException;

    /** Entries added so far. */
    long entries();

    /** Content bytes read so far. */
    long bytes();

    /** Writes whatever is still pending and the archive's end; flushes, but does not close, the output. */
    void finish() throws IOException;

    /** Releases threads' work and temporary files; an archive not finished stays incomplete. Never closes the output. */
    @Override
    void close() throws IOException;
}
