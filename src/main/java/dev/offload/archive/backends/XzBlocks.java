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
 * XZ for Java read them all). A block is as large as the preset's dictionary (8 MiB at level 6), so little is lost
 * at the cuts; each compression thread reuses its encoder's large arrays. A block that does not compress is
 * written with the fastest preset, which costs a fraction of the time for the same size.
 */
final class XzBlocks extends BlockCodec {

    static final int BLOCK = 8 << 20;
    private static final ThreadLocal<ArrayCache> ARRAYS = ThreadLocal.withInitial(BasicArrayCache::new);

    private final int preset;

    XzBlocks(int preset) {
        this.preset = preset;
    }

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
        // Stored data (images, archives) gains nothing from the slow match finder: the fastest preset stores it as well.
        LZMA2Options options = new LZMA2Options(DeflateChunks.incompressible(block, length) ? 0 : preset);
        if (options.getDictSize() > BLOCK) {
            options.setDictSize(BLOCK);
        }
        try (XZOutputStream xz = new XZOutputStream(compressed, options, XZ.CHECK_CRC64, ARRAYS.get())) {
            xz.write(block, 0, length);
        }
        return compressed;
    }
}
