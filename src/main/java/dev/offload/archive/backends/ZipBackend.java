package dev.offload.archive.backends;

import dev.offload.archive.ArchiveBackend;
import dev.offload.archive.ArchiveEntries;
import dev.offload.archive.ArchiveWriter;
import dev.offload.archive.CompressionPool;
import dev.offload.archive.ExtractionLimits;
import dev.offload.archive.WriteProgress;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Zip: entries deflated (level 6), names in UTF-8 with the language encoding flag, Zip64 only where an entry or the
 * entry count needs it. With a parallel pool, chunks of entries are deflated side by side and written in order.
 */
@Singleton
public class ZipBackend implements ArchiveBackend {

    public static final String ID = "zip";

    private final CompressionPool pool;

    @Inject
    public ZipBackend(CompressionPool pool) {
        this.pool = pool;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return "zip";
    }

    @Override
    public String contentType() {
        return "application/zip";
    }

    @Override
    public boolean matches(byte[] head, int length) {
        return ZipArchiveInputStream.matches(head, length);
    }

    @Override
    public ArchiveWriter open(OutputStream out, WriteProgress progress) {
        return new ZipWriter(out, pool, progress);
    }

    @Override
    public ArchiveEntries entries(InputStream in, ExtractionLimits limits) throws IOException {
        return ZipEntries.open(in, limits);
    }
}
