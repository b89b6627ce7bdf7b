package dev.offload.archive;

/**
 * Told how far a writer has got, on the thread that calls the writer, between chunks of content (and while it
 * waits for compression threads). Throwing from it (a {@code JobCancelledException}, say) stops the archive: the
 * exception comes out of the writer's call, the writer releases its threads' work and temporary files, and the
 * caller discards the output.
 */
@FunctionalInterface
public interface WriteProgress {

    WriteProgress NONE = (bytes, entries) -> {
    };

    /**
     * @param bytes   content bytes read so far (uncompressed, all entries)
     * @param entries entries completely read so far
     */
    void update(long bytes, long entries);
}
