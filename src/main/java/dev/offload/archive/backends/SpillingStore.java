package dev.offload.archive.backends;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.parallel.ScatterGatherBackingStore;

/**
 * One compressed zip entry waiting for its turn: in memory up to {@code memoryLimit} bytes, the rest in a temporary
 * file deleted on {@link #close()}. commons-compress's own file store would put every entry, however small, in a
 * file.
 */
final class SpillingStore implements ScatterGatherBackingStore {

    private final int memoryLimit;
    private final ByteArrayOutputStream memory;
    private Path file;
    private OutputStream fileOut;
    private long size;

    SpillingStore(int memoryLimit) {
        this.memoryLimit = memoryLimit;
        this.memory = new ByteArrayOutputStream(Math.min(memoryLimit, 8192));
    }

    @Override
    public void writeOut(byte[] data, int offset, int length) throws IOException {
        int inMemory = (int) Math.max(0, Math.min(length, memoryLimit - size));
        memory.write(data, offset, inMemory);
        if (inMemory < length) {
            if (fileOut == null) {
                file = Files.createTempFile("offload-zip-", ".deflated");
                fileOut = Files.newOutputStream(file);
            }
            fileOut.write(data, offset + inMemory, length - inMemory);
        }
        size += length;
    }

    @Override
    public void closeForWriting() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream head = new ByteArrayInputStream(memory.toByteArray());
        return file == null ? head : new SequenceInputStream(head, Files.newInputStream(file));
    }

    /** Whether part of the entry went to a temporary file. */
    boolean spilled() {
        return file != null;
    }

    @Override
    public void close() throws IOException {
        try {
            closeForWriting();
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
                file = null;
            }
        }
    }
}
