package dev.offload.archive.backends;

import dev.offload.archive.CompressionPool;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Plain tar (POSIX). */
@Singleton // not proxied: the tar backends share a superclass without a no-argument constructor
public class TarBackend extends TarFamilyBackend {

    public static final String ID = "tar";

    @Inject
    public TarBackend(CompressionPool pool) {
        super(pool);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return "tar";
    }

    @Override
    public String contentType() {
        return "application/x-tar";
    }

    @Override
    public boolean matches(byte[] head, int length) {
        return TarArchiveInputStream.matches(head, length);
    }

    @Override
    OutputStream compressor(OutputStream out) {
        return new BufferedOutputStream(out, 64 * 1024);
    }

    @Override
    BlockCodec blocks() {
        return null;
    }

    @Override
    InputStream decompressor(InputStream in) {
        return null;
    }
}
