package dev.offload.archive.backends;

import dev.offload.archive.CompressionPool;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/** tar in gzip (level 6, as gzip's default); in parallel, one gzip member made as pigz makes it. */
@Singleton // not proxied: the tar backends share a superclass without a no-argument constructor
public class TarGzBackend extends TarFamilyBackend {

    public static final String ID = "tar.gz";
    static final int LEVEL = 6;

    @Inject
    public TarGzBackend(CompressionPool pool) {
        super(pool);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return "tar.gz";
    }

    @Override
    public String contentType() {
        return "application/gzip";
    }

    @Override
    public List<String> suffixes() {
        return List.of(".tar.gz", ".tgz");
    }

    @Override
    public boolean matches(byte[] head, int length) {
        return GzipCompressorInputStream.matches(head, length);
    }

    @Override
    OutputStream compressor(OutputStream out) throws IOException {
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(LEVEL);
        return new GzipCompressorOutputStream(out, parameters);
    }

    @Override
    BlockCodec blocks() {
        return new GzipBlocks(LEVEL);
    }

    @Override
    InputStream decompressor(InputStream in) throws IOException {
        return new GzipCompressorInputStream(in, true);
    }
}
