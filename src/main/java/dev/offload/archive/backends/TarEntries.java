package dev.offload.archive.backends;

import dev.offload.archive.ArchiveEntries;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A tar stream's entries, through its decompressor; an archive that ends without its end-of-archive blocks is cut short. */
final class TarEntries implements ArchiveEntries {

    /** Opens the decompressor over a stream; returns null when there is none. */
    interface Decompressor {
        InputStream open(InputStream in) throws IOException;
    }

    private final CountingInputStream source;
    private final CountingInputStream decompressed;
    private final InputStream decompressor;
    private final EndCheckingTarInputStream tar;

    private TarEntries(CountingInputStream source, InputStream decompressor) {
        this.source = source;
        this.decompressor = decompressor;
        this.decompressed = decompressor == null ? null : new CountingInputStream(decompressor);
        this.tar = new EndCheckingTarInputStream(decompressed == null ? source : decompressed);
    }

    static TarEntries open(InputStream in, Decompressor decompressor) throws IOException {
        CountingInputStream source = new CountingInputStream(in);
        InputStream plain = decompressor.open(source);
        return new TarEntries(source, plain);
    }

    @Override
    public Entry next() throws IOException {
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
            if (!tar.sawEnd) {
                throw new EOFException("the tar stream ends without its end-of-archive blocks: it was cut short");
            }
            return null;
        }
        return new Entry(entry.getName(), type(entry), entry.getSize(), -1, false, true);
    }

    private static Type type(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return Type.SYMLINK;
        }
        if (entry.isLink()) {
            return Type.HARD_LINK;
        }
        if (entry.isCharacterDevice()) {
            return Type.CHARACTER_DEVICE;
        }
        if (entry.isBlockDevice()) {
            return Type.BLOCK_DEVICE;
        }
        if (entry.isFIFO()) {
            return Type.FIFO;
        }
        if (entry.isSparse()) {
            return Type.SPARSE_FILE;
        }
        if (entry.isDirectory()) {
            return Type.DIRECTORY;
        }
        if (entry.isFile()) {
            return Type.FILE;
        }
        return Type.OTHER;
    }

    @Override
    public InputStream content() {
        return new FilterInputStream(tar) {
            @Override
            public void close() {
                // the next entry follows in the same stream
            }
        };
    }

    @Override
    public long archiveBytes() {
        return source.count();
    }

    @Override
    public long streamBytes() {
        return decompressed == null ? -1 : decompressed.count();
    }

    @Override
    public void close() throws IOException {
        // Releases the decompressor's inflater; the source under it is the caller's and stays open.
        if (decompressor != null) {
            decompressor.close();
        }
    }

    /** Notes whether the archive ended with a zero record, as every tar writer ends it, or simply stopped. */
    private static final class EndCheckingTarInputStream extends TarArchiveInputStream {
        boolean sawEnd;

        EndCheckingTarInputStream(InputStream in) {
            super(in, StandardCharsets.UTF_8.name());
        }

        @Override
        protected boolean isEOFRecord(byte[] record) {
            boolean end = super.isEOFRecord(record);
            if (end && record != null) {
                sawEnd = true;
            }
            return end;
        }
    }
}
