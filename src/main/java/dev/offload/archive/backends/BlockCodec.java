package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * How a compressed stream is cut into blocks compressed independently, on several threads, and written in order:
 * as pigz does for gzip, as concatenated streams for bzip2 and xz. One instance per output stream.
 */
abstract class BlockCodec {

    /** Uncompressed bytes per block. */
    abstract int blockSize();

    /** Bytes before the first block. */
    byte[] header() {
        return new byte[0];
    }

    /** Sees every uncompressed byte, in order, on the writing thread (gzip's CRC). */
    void update(byte[] data, int offset, int length) {
    }

    /**
     * Compresses one block, on a compression thread.
     *
     * @param previous the block before (whole, never changed), or null for the first
     * @param last     whether this is the final block (perhaps empty)
     */
    abstract ByteArrayOutputStream compress(byte[] block, int length, byte[] previous, boolean last) throws IOException;

    /** Bytes after the last block, once {@code total} uncompressed bytes were written. */
    byte[] trailer(long total) {
        return new byte[0];
    }
}
