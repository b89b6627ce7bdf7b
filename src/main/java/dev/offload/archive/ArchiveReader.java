package dev.offload.archive;

import dev.offload.archive.ArchiveRefusedException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Reads a stored archive under the rules: lists its files, or hands each file's content to a handler. Every entry
 * passes {@link EntryPaths}' rules (a leading {@code ./} aside), is a regular file or a directory (links, devices,
 * FIFOs and sparse files are refused), is not encrypted, occurs once and is no other entry's directory; the
 * archive stays within {@link ExtractionLimits}, counted as the content is read. A refusal is an
 * {@link ArchiveRefusedException} naming the entry; a damaged or truncated archive is one too ({@code CORRUPT}).
 * Directory entries produce nothing.
 *
 * <p>Extraction is one pass, so content reaches the handler before the archive's end is seen: a handler stages
 * what it stores and discards it all when the reader throws. A caller that must store nothing from a refused
 * archive runs {@link #list} first (a validating pass with every rule, reading the archive once more).
 */
public final class ArchiveReader {

    /** A regular file of an archive, with its size as counted while reading. */
    public record ListedEntry(String path, long size) {
    }

    /** Receives each regular file: read {@code content} (or not); the reader reads what is left. */
    @FunctionalInterface
    public interface FileHandler {
        void file(String path, InputStream content) throws IOException;
    }

    private final ArchiveBackends backends;
    private final ExtractionLimits limits;

    public ArchiveReader(ArchiveBackends backends, ExtractionLimits limits) {
        this.backends = backends;
        this.limits = limits;
    }

    /** The archive's files, the archive's format found from its first bytes or {@code name}; every rule applied. */
    public List<ListedEntry> list(String name, InputStream in) throws IOException {
        return extract(name, in, (path, content) -> {
        });
    }

    public List<ListedEntry> list(ArchiveBackend backend, InputStream in) throws IOException {
        return extract(backend, in, (path, content) -> {
        });
    }

    /** Hands each file to {@code handler} in archive order, the format found from its first bytes or {@code name}. */
    public List<ListedEntry> extract(String name, InputStream in, FileHandler handler) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(1024);
        byte[] head = buffered.readNBytes(512);
        buffered.reset();
        ArchiveBackend backend = backends.detect(name, head, head.length).orElseThrow(() -> new ArchiveRefusedException(
                Reason.UNSUPPORTED, null, "is not an archive of a known format (" + String.join(", ", backends.ids()) + ")"));
        return extract(backend, buffered, handler);
    }

    /** Hands each file to {@code handler} in archive order; returns the files handed. */
    public List<ListedEntry> extract(ArchiveBackend backend, InputStream in, FileHandler handler) throws IOException {
        Pass pass = new Pass();
        ArchiveEntries entries;
        try {
            entries = backend.entries(in, limits);
        } catch (ArchiveRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw corrupt(null, e);
        }
        try (entries) {
            while (true) {
                ArchiveEntries.Entry entry;
                try {
                    entry = entries.next();
                } catch (ArchiveRefusedException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw corrupt(null, e);
                }
                if (entry == null) {
                    return pass.files;
                }
                pass.entry(entries, entry, handler);
            }
        }
    }

    /** One reading of one archive: what it has seen so far. */
    private final class Pass {
        final List<ListedEntry> files = new ArrayList<>();
        final Set<String> filePaths = new HashSet<>();
        final Set<String> directories = new HashSet<>();
        long entries;
        long total;

        void entry(ArchiveEntries archive, ArchiveEntries.Entry entry, FileHandler handler) throws IOException {
            String name = entry.name();
            if (++entries > limits.maxEntries()) {
                throw new ArchiveRefusedException(Reason.TOO_MANY_ENTRIES, null,
                        "has more than " + limits.maxEntries() + " entries");
            }
            checkStream(archive, name);
            String path = name;
            while (path.startsWith("./")) {
                path = path.substring(2);
            }
            boolean directory = entry.type() == ArchiveEntries.Type.DIRECTORY;
            if (directory && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (directory && (path.isEmpty() || path.equals("."))) {
                return;
            }
            String problem = EntryPaths.problem(path);
            if (problem != null) {
                throw new ArchiveRefusedException(Reason.PATH, name, problem);
            }
            switch (entry.type()) {
                case FILE, DIRECTORY -> {
                }
                case SYMLINK -> throw new ArchiveRefusedException(Reason.LINK, name, "is a symbolic link");
                case HARD_LINK -> throw new ArchiveRefusedException(Reason.LINK, name, "is a hard link");
                case CHARACTER_DEVICE, BLOCK_DEVICE -> throw new ArchiveRefusedException(Reason.SPECIAL_FILE, name, "is a device file");
                case FIFO -> throw new ArchiveRefusedException(Reason.SPECIAL_FILE, name, "is a FIFO");
                case SPARSE_FILE -> throw new ArchiveRefusedException(Reason.SPECIAL_FILE, name, "is a sparse file");
                default -> throw new ArchiveRefusedException(Reason.SPECIAL_FILE, name, "is neither a file nor a directory");
            }
            if (entry.encrypted()) {
                throw new ArchiveRefusedException(Reason.ENCRYPTED, name, "is encrypted");
            }
            if (directory) {
                if (filePaths.contains(path)) {
                    throw new ArchiveRefusedException(Reason.DUPLICATE, name, "is both a file and a directory");
                }
                addDirectories(path + "/", name);
                return;
            }
            if (!entry.readable()) {
                throw new ArchiveRefusedException(Reason.UNSUPPORTED, name, "uses a compression method that cannot be read");
            }
            if (!filePaths.add(path)) {
                throw new ArchiveRefusedException(Reason.DUPLICATE, name, "occurs more than once");
            }
            if (directories.contains(path)) {
                throw new ArchiveRefusedException(Reason.DUPLICATE, name, "is both a file and a directory");
            }
            addDirectories(path, name);
            if (entry.declaredSize() > limits.maxTotalBytes() - total) {
                throw new ArchiveRefusedException(Reason.TOO_LARGE, name,
                        "would take the archive's content past " + limits.maxTotalBytes() + " bytes");
            }
            Content content;
            try {
                content = new Content(archive, archive.content(), name, entry.compressedSize());
            } catch (IOException e) {
                throw corrupt(name, e);
            }
            handler.file(path, content);
            content.drain();
            try {
                archive.verify(content.crc.getValue());
            } catch (IOException e) {
                throw corrupt(name, e);
            }
            files.add(new ListedEntry(path, content.count));
        }

        /** Records the directories of {@code path} (each prefix ending at a '/'); a file among them is a clash. */
        private void addDirectories(String path, String name) throws ArchiveRefusedException {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                if (filePaths.contains(parent)) {
                    throw new ArchiveRefusedException(Reason.DUPLICATE, name, "is inside " + EntryPaths.quote(parent)
                            + ", which is a file of the archive");
                }
                directories.add(parent);
            }
        }

        /** A compressed tar's ratio, judged over the whole stream: its compressor knows nothing of entries. */
        void checkStream(ArchiveEntries archive, String name) throws ArchiveRefusedException {
            long inflated = archive.streamBytes();
            if (inflated > limits.ratioGrace() && inflated > limits.maxRatio() * Math.max(1, archive.archiveBytes())) {
                throw new ArchiveRefusedException(Reason.RATIO, name, "expands the archive more than 1:"
                        + ratio() + " (" + inflated + " bytes from " + archive.archiveBytes() + "): a decompression bomb");
            }
        }

        private String ratio() {
            double ratio = limits.maxRatio();
            return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
        }

        /** One file's content as the handler reads it: counted, limited and checksummed as it passes. */
        private final class Content extends InputStream {
            private final ArchiveEntries archive;
            private final InputStream in;
            private final String name;
            private final long compressedSize;
            final CRC32 crc = new CRC32();
            long count;

            Content(ArchiveEntries archive, InputStream in, String name, long compressedSize) {
                this.archive = archive;
                this.in = in;
                this.name = name;
                this.compressedSize = compressedSize;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = in.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(name, e);
                }
                if (n > 0) {
                    crc.update(b, off, n);
                    count += n;
                    total += n;
                    if (total > limits.maxTotalBytes()) {
                        throw new ArchiveRefusedException(Reason.TOO_LARGE, name,
                                "takes the archive's content past " + limits.maxTotalBytes() + " bytes");
                    }
                    if (compressedSize >= 0 && count > limits.ratioGrace()
                            && count > limits.maxRatio() * Math.max(1, compressedSize)) {
                        throw new ArchiveRefusedException(Reason.RATIO, name, "expands more than 1:" + ratio() + " ("
                                + count + " bytes from " + compressedSize + " so far): a decompression bomb");
                    }
                    checkStream(archive, name);
                }
                return n;
            }

            void drain() throws IOException {
                byte[] buffer = new byte[64 * 1024];
                while (read(buffer, 0, buffer.length) >= 0) {
                    // counted, limited and checksummed by read
                }
            }

            @Override
            public void close() {
                // the reader reads what the handler left
            }
        }
    }

    private static ArchiveRefusedException corrupt(String entry, Exception cause) {
        if (cause instanceof ArchiveRefusedException refused) {
            return refused;
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ArchiveRefusedException(Reason.CORRUPT, entry, (entry == null ? "the archive " : "")
                + "is corrupt or truncated: " + detail, cause);
    }
}
