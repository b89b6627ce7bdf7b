package dev.offload.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A backend's view of an archive being read, entry after entry, before any rule is applied; {@link ArchiveReader}
 * applies them. Format errors come out as {@link IOException}s, which the reader reports as a corrupt archive.
 */
public interface ArchiveEntries extends Closeable {

    /** The type of an entry as its format stores it. */
    enum Type { FILE, DIRECTORY, SYMLINK, HARD_LINK, CHARACTER_DEVICE, BLOCK_DEVICE, FIFO, SPARSE_FILE, OTHER }

    /**
     * One entry's header.
     *
     * @param name           the path as stored (a directory may end with '/')
     * @param declaredSize   the uncompressed size the header declares, or -1 (never trusted: content is counted)
     * @param compressedSize the entry's compressed size when it is compressed on its own (zip), else -1
     * @param encrypted      whether the entry is encrypted
     * @param readable       whether the backend can read its content (a known compression method)
     */
    record Entry(String name, Type type, long declaredSize, long compressedSize, boolean encrypted, boolean readable) {
    }

    /** The next entry, or null at the end (a format that marks its end checks the mark: a missing one is an error). */
    Entry next() throws IOException;

    /** The current entry's content; read before the next call of {@link #next()}. */
    InputStream content() throws IOException;

    /**
     * Verifies the current entry once its content was read to its end (a zip entry's CRC); throws
     * {@link IOException} when the content does not match.
     */
    default void verify(long crc32) throws IOException {
    }

    /** Bytes of the archive read so far (compressed). */
    long archiveBytes();

    /** Bytes the decompressor produced so far when the whole stream is compressed (tar.gz, ...), else -1. */
    long streamBytes();
}
