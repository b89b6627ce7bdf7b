package dev.offload.archive.backends;

import dev.offload.archive.CompressionPool;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** tar in xz (preset 6, as xz's default); in parallel, concatenated xz streams of up to 8 MiB each ({@link XzBlocks}). */
@Singleton // not proxied: the tar backends share a superclass without a no-argument constructor
public class TarXzBackend extends TarFamilyBackend {

    public static final String ID = "tar.xz";
    static final int PRESET = 6;
    /** The most memory a stream read back may ask its decoder for; xz -9 asks 65 MiB. */
    static final int DECODER_MEMORY_KIB = 128 * 1024;

    @Inject
    public TarXzBackend(CompressionPool pool) {
        super(pool);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return "tar.xz";
    }

    @Override
    public String contentType() {
        return "application/x-xz";
    }

    @Override
    public List<String> suffixes() {
        return List.of(".tar.xz", ".txz");
    }

    @Override
    public boolean matches(byte[] head, int length) {
        return XZCompressorInputStream.matches(head, length);
    }

    @Override
    OutputStream compressor(OutputStream out) throws IOException {
        return new XZOutputStream(out, new LZMA2Options(PRESET));
    }

    @Override
    BlockCodec blocks() {
        return new XzBlocks(PRESET, pool.threads(), Runtime.getRuntime().maxMemory());
    }

    @Override
    InputStream decompressor(InputStream in) throws IOException {
        return new XZCompressorInputStream(in, true, DECODER_MEMORY_KIB);
    }
}
