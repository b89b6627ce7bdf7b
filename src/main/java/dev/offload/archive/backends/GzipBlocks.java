package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip in parallel as pigz makes it: one gzip member whose deflate stream is cut into blocks, each primed with the
 * last 32 KiB of the block before (deflate's whole window, so matches across the cut are still found) and ended
 * with a sync flush so the next block starts on a byte boundary. The result is an ordinary single-member gzip
 * file, within a few bytes per block of what one deflater makes. The CRC is computed in order on the writing
 * thread, which costs little beside deflating.
 */
final class GzipBlocks extends BlockCodec {

    static final int BLOCK = 1 << 20;
    private static final int WINDOW = 32 * 1024;

    private final int level;
    private final CRC32 crc = new CRC32();

    GzipBlocks(int level) {
        this.level = level;
    }

    @Override
    int blockSize() {
        return BLOCK;
    }

    @Override
    byte[] header() {
        // magic, deflate, no flags, no time, no extra flags, OS unix
        return new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    }

    @Override
    void update(byte[] data, int offset, int length) {
        crc.update(data, offset, length);
    }

    @Override
    ByteArrayOutputStream compress(byte[] block, int length, byte[] previous, boolean last) {
        Deflater deflater = new Deflater(level, true);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, length / 2));
        byte[] buffer = new byte[64 * 1024];
        try {
            if (previous != null) {
                deflater.setDictionary(previous, previous.length - WINDOW, WINDOW);
            }
            deflater.setInput(block, 0, length);
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    int n = deflater.deflate(buffer);
                    compressed.write(buffer, 0, n);
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, n);
                } while (n == buffer.length);
            }
        } finally {
            deflater.end();
        }
        return compressed;
    }

    @Override
    byte[] trailer(long total) {
        long value = crc.getValue();
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24),
                (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)};
    }
}
