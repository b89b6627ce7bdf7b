package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * gzip in parallel as pigz makes it: one gzip member whose deflate stream is made of chunks deflated on several
 * threads ({@link DeflateChunks}). The result is an ordinary single-member gzip file, within a few bytes per MiB of
 * what one deflater makes. The CRC is computed in order on the writing thread, which costs little beside deflating.
 */
final class GzipBlocks extends BlockCodec {

    private final int level;
    private final CRC32 crc = new CRC32();

    GzipBlocks(int level) {
        this.level = level;
    }

    @Override
    int blockSize() {
        return DeflateChunks.CHUNK;
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
        return DeflateChunks.compress(block, length, previous, last, level);
    }

    @Override
    byte[] trailer(long total) {
        long value = crc.getValue();
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24),
                (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)};
    }
}
