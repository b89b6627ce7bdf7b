package dev.offload.archive.backends;

import dev.offload.archive.ArchiveEntries;
import dev.offload.archive.ArchiveRefusedException;
import dev.offload.archive.ExtractionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A zip's entries as its central directory lists them, which is what unzip and every desktop tool extract, and the
 * only place a symbolic link's or device's mode is kept. The stream is copied to a temporary file first (deleted on
 * close) since the central directory is at the end.
 */
final class ZipEntries implements ArchiveEntries {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private final Path file;
    private final long size;
    private final ZipFile zip;
    private final Enumeration<ZipArchiveEntry> entries;
    private ZipArchiveEntry current;

    private ZipEntries(Path file, long size, ZipFile zip) {
        this.file = file;
        this.size = size;
        this.zip = zip;
        this.entries = zip.getEntries();
    }

    static ZipEntries open(InputStream in, ExtractionLimits limits) throws IOException {
        // The archive itself may not be larger than its content may be, headers of every entry allowed for.
        long maxArchive = limits.maxTotalBytes() + limits.maxEntries() * 4096 + 65_536;
        Path file = Files.createTempFile("offload-unzip-", ".zip");
        try {
            long size = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0;) {
                    size += n;
                    if (size > maxArchive) {
                        throw new ArchiveRefusedException(ArchiveRefusedException.Reason.TOO_LARGE, null,
                                "the archive is larger than its content may be (" + limits.maxTotalBytes() + " bytes)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            ZipFile zip = ZipFile.builder().setPath(file).get();
            return new ZipEntries(file, size, zip);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public Entry next() {
        if (!entries.hasMoreElements()) {
            current = null;
            return null;
        }
        current = entries.nextElement();
        return new Entry(current.getName(), type(current), current.getSize(), current.getCompressedSize(),
                current.getGeneralPurposeBit().usesEncryption(), zip.canReadEntryData(current));
    }

    private static Type type(ZipArchiveEntry entry) {
        int format = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & S_IFMT : 0;
        switch (format) {
            case S_IFLNK:
                return Type.SYMLINK;
            case S_IFCHR:
                return Type.CHARACTER_DEVICE;
            case S_IFBLK:
                return Type.BLOCK_DEVICE;
            case S_IFIFO:
                return Type.FIFO;
            case S_IFDIR:
                return Type.DIRECTORY;
            case 0:
            case S_IFREG:
                return entry.isDirectory() ? Type.DIRECTORY : Type.FILE;
            default:
                return Type.OTHER;
        }
    }

    @Override
    public InputStream content() throws IOException {
        return zip.getInputStream(current);
    }

    @Override
    public void verify(long crc32) throws IOException {
        if (current.getCrc() != -1 && current.getCrc() != crc32) {
            throw new IOException("its content does not match its checksum");
        }
    }

    @Override
    public long archiveBytes() {
        return size;
    }

    @Override
    public long streamBytes() {
        return -1;
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
