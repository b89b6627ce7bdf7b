package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * bzip2 in parallel as pbzip2 makes it: each block a complete bzip2 stream, the streams concatenated. bzip2
 * compresses 900 kB blocks independently anyway, so a block of four of them costs only a stream header and trailer.
 */
final class Bzip2Blocks extends BlockCodec {

    static final int BLOCK = 4 * 900_000;

    @Override
    int blockSize() {
        return BLOCK;
    }

    @Override
    ByteArrayOutputStream compress(byte[] block, int length, byte[] previous, boolean last) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, length / 3));
        if (length == 0 && previous != null) {
            return compressed;
        }
        try (BZip2CompressorOutputStream bzip2 = new BZip2CompressorOutputStream(compressed, 9)) {
            bzip2.write(block, 0, length);
        }
        return compressed;
    }
}
