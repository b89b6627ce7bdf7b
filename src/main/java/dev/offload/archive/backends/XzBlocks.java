package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * xz in parallel: each block a complete .xz stream, the streams concatenated (the format allows it and xz, tar and
 * XZ for Java read them all). A block is as large as the dictionary, so little is lost at the cuts; each
 * compression thread reuses its encoder's large arrays. A block that does not compress is written with the
 * fastest preset, which costs a fraction of the time for the same size.
 *
 * <p>The dictionary is the preset's (8 MiB at level 6, as {@code xz -6}) when the heap has room for it: an encoder
 * per thread (92 MiB each at 8 MiB) and the blocks in flight (two per thread and the one being filled, each with
 * its output) must fit in half of the heap. Otherwise it is halved until they do (down to 1 MiB): a 256 MB heap
 * compresses with 2 MiB, at a cost in size, instead of running out of memory.
 */
final class XzBlocks extends BlockCodec {

    static final int MAX_BLOCK = 8 << 20;
    private static final int MIN_BLOCK = 1 << 20;
    private static final ThreadLocal<ArrayCache> ARRAYS = ThreadLocal.withInitial(BasicArrayCache::new);

    private final int preset;
    private final int dictionary;

    XzBlocks(int preset, int threads, long maxHeap) {
        this.preset = preset;
        this.dictionary = dictionary(preset, threads, maxHeap);
    }

    /** The largest dictionary, at most the preset's and {@value #MAX_BLOCK}, whose parallel writer fits the heap. */
    static int dictionary(int preset, int threads, long maxHeap) {
        int dictionary = Math.min(MAX_BLOCK, options(preset).getDictSize());
        while (dictionary > MIN_BLOCK && need(preset, threads, dictionary) > maxHeap / 2) {
            dictionary /= 2;
        }
        return dictionary;
    }

    /** Bytes a parallel writer holds at most with {@code dictionary}: encoders, blocks in flight and their outputs. */
    static long need(int preset, int threads, int dictionary) {
        LZMA2Options options = options(preset);
        try {
            options.setDictSize(dictionary);
        } catch (org.tukaani.xz.UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz dictionary of " + dictionary + " bytes", e);
        }
        long encoders = (long) threads * options.getEncoderMemoryUsage() * 1024;
        long blocks = (2L * threads + 1) * 2 * dictionary;
        return encoders + blocks;
    }

    private static LZMA2Options options(int preset) {
        try {
            return new LZMA2Options(preset);
        } catch (org.tukaani.xz.UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz preset " + preset, e);
        }
    }

    @Override
    int blockSize() {
        return dictionary;
    }

    @Override
    ByteArrayOutputStream compress(byte[] block, int length, byte[] previous, boolean last) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, length / 3));
        if (length == 0 && previous != null) {
            return compressed;
        }
        // Stored data (images, archives) gains nothing from the slow match finder: the fastest preset stores it as well.
        LZMA2Options options = new LZMA2Options(DeflateChunks.incompressible(block, length) ? 0 : preset);
        if (options.getDictSize() > dictionary) {
            options.setDictSize(dictionary);
        }
        try (XZOutputStream xz = new XZOutputStream(compressed, options, XZ.CHECK_CRC64, ARRAYS.get())) {
            xz.write(block, 0, length);
        }
        return compressed;
    }
}
