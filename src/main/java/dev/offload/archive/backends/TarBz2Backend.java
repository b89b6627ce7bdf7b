package dev.offload.archive.backends;

import dev.offload.archive.CompressionPool;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** tar in bzip2 (900 kB blocks, as bzip2's default); in parallel, concatenated bzip2 streams. */
@Singleton // not proxied: the tar backends share a superclass without a no-argument constructor
public class TarBz2Backend extends TarFamilyBackend {

    public static final String ID = "tar.bz2";

    @Inject
    public TarBz2Backend(CompressionPool pool) {
        super(pool);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return "tar.bz2";
    }

    @Override
    public String contentType() {
        return "application/x-bzip2";
    }

    @Override
    public List<String> suffixes() {
        return List.of(".tar.bz2", ".tbz2", ".tbz");
    }

    @Override
    public boolean matches(byte[] head, int length) {
        return BZip2CompressorInputStream.matches(head, length);
    }

    @Override
    OutputStream compressor(OutputStream out) throws IOException {
        return new BZip2CompressorOutputStream(out, 9);
    }

    @Override
    BlockCodec blocks() {
        return new Bzip2Blocks();
    }

    @Override
    InputStream decompressor(InputStream in) throws IOException {
        return new BZip2CompressorInputStream(in, true);
    }
}
