package dev.offload.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One archive format: how to write it into a stream and how to read one back. A CDI bean; {@link ArchiveBackends}
 * finds every bean by its {@link #id()}.
 */
public interface ArchiveBackend {

    /** The format's id, as clients name it: {@code zip}, {@code tar}, {@code tar.gz}, ... */
    String id();

    /** The file name's ending, without the dot: {@code zip}, {@code tar.gz}. */
    String extension();

    /** The result's media type: {@code application/zip}, {@code application/gzip}, ... */
    String contentType();

    /** File name endings this format is recognised by when its first bytes say nothing ({@code .tgz}, ...). */
    default List<String> suffixes() {
        return List.of("." + extension());
    }

    /** True when an archive's first bytes ({@code length} of them, up to 512) are this format's signature. */
    boolean matches(byte[] head, int length);

    /**
     * Starts an archive written into {@code out} as entries are added. The writer never closes {@code out}: its
     * owner completes it (a job's result) or discards it.
     */
    ArchiveWriter open(OutputStream out, WriteProgress progress) throws IOException;

    default ArchiveWriter open(OutputStream out) throws IOException {
        return open(out, WriteProgress.NONE);
    }

    /**
     * The entries of an archive in this format, as the format stores them, no rule applied: read them through
     * {@link ArchiveReader}, which applies the rules. Reading from {@code in} until the end; does not close it.
     */
    ArchiveEntries entries(InputStream in, ExtractionLimits limits) throws IOException;
}
