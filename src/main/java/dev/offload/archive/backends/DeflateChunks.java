package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * One raw deflate stream made of chunks deflated independently, as pigz makes it: each chunk is primed with the
 * last 32 KiB of the chunk before (deflate's whole window, so matches across the cut are still found) and ends
 * with a sync flush, so the next starts on a byte boundary; the last one finishes the stream. Both a gzip member
 * and a zip entry hold such a stream. A chunk that does not compress is stored (level 0) instead of deflated, as
 * zip stores such files: deflating random bytes costs as much as deflating text and saves nothing.
 */
final class DeflateChunks {

    static final int CHUNK = 1 << 20;
    private static final int WINDOW = 32 * 1024;
    private static final int SAMPLE = 16 * 1024;
    private static final int SAMPLES = 4;
    /** A chunk whose samples deflate (at level 1) to more than this share of their size is stored. */
    private static final double INCOMPRESSIBLE = 0.95;

    private DeflateChunks() {
    }

    /**
     * Deflates {@code length} bytes of {@code chunk}.
     *
     * @param previous the whole chunk before it in the same stream, or null for the stream's first
     * @param last     whether this chunk ends the stream
     */
    static ByteArrayOutputStream compress(byte[] chunk, int length, byte[] previous, boolean last, int level) {
        Deflater deflater = new Deflater(incompressible(chunk, length) ? 0 : level, true);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, length / 2));
        byte[] buffer = new byte[64 * 1024];
        try {
            if (previous != null) {
                deflater.setDictionary(previous, previous.length - WINDOW, WINDOW);
            }
            deflater.setInput(chunk, 0, length);
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

    /** Whether samples of the data (a quarter of a MiB chunk at most) barely deflate at the fastest level. */
    static boolean incompressible(byte[] data, int length) {
        if (length < 4 * 1024) {
            return false;
        }
        Deflater probe = new Deflater(1, true);
        try {
            byte[] out = new byte[SAMPLE + 1024];
            long in = 0;
            long produced = 0;
            int samples = length <= SAMPLE * SAMPLES ? 1 : SAMPLES;
            for (int i = 0; i < samples; i++) {
                int offset = (int) ((long) length * i / samples);
                int size = Math.min(samples == 1 ? length : SAMPLE, length - offset);
                probe.reset();
                probe.setInput(data, offset, size);
                probe.finish();
                while (!probe.finished()) {
                    produced += probe.deflate(out);
                }
                in += size;
            }
            return produced > INCOMPRESSIBLE * in;
        } finally {
            probe.end();
        }
    }
}
