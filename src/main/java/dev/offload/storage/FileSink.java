package dev.offload.storage;

import java.io.OutputStream;
import java.util.UUID;

/**
 * A file being written into the store. Bytes go to the store as they come, a chunk at a time, so memory
 * stays flat whatever the size. {@link #close()} completes the file (only then is it readable);
 * {@link #abort()} removes whatever was written.
 */
public abstract class FileSink extends OutputStream {

    /** The file's id, known before the first byte. */
    public abstract UUID id();

    /** Bytes written so far. */
    public abstract long size();

    /** Removes the file and what was written of it; safe to call more than once, and after close. */
    public abstract void abort();
}
