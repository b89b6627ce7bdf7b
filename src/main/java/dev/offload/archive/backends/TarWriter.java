package dev.offload.archive.backends;

import dev.offload.archive.AbstractArchiveWriter;
import dev.offload.archive.EntryContent;
import dev.offload.archive.WriteProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar stream (POSIX: PAX headers for long or non-ASCII names and for sizes past 8 GiB) into a compressed (or
 * plain) stream. Content is read on the caller's thread; a parallel compressor works behind it.
 */
final class TarWriter extends AbstractArchiveWriter {

    private static final int FILE_MODE = 0100644;

    private final TarArchiveOutputStream tar;
    private final OrderedBlockOutputStream blocks;

    /**
     * @param compressed where the tar stream goes; closing it finishes the compression and leaves the caller's
     *                   output open
     * @param blocks     the same stream when it compresses in parallel, else null
     */
    TarWriter(OutputStream compressed, OrderedBlockOutputStream blocks, WriteProgress progress) {
        super(progress);
        this.blocks = blocks;
        this.tar = new TarArchiveOutputStream(compressed, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        if (blocks != null) {
            blocks.whileWaiting(this::reportProgress);
        }
    }

    @Override
    protected void write(String path, long size, Instant modified, EntryContent content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(size);
        entry.setMode(FILE_MODE);
        entry.setLastModifiedTime(FileTime.from(modified));
        entry.setUserName("");
        entry.setGroupName("");
        entry.setIds(0, 0);
        tar.putArchiveEntry(entry);
        try (InputStream in = content.open()) {
            copy(path, size, in, tar, this::reportProgress);
        }
        tar.closeArchiveEntry();
    }

    @Override
    protected void complete() throws IOException {
        tar.close();
    }

    @Override
    protected void release(boolean finished) {
        if (!finished && blocks != null) {
            blocks.abort();
        }
    }
}
