package dev.offload.archive.backends;

import dev.offload.archive.ArchiveBackend;
import dev.offload.archive.ArchiveEntries;
import dev.offload.archive.ArchiveWriter;
import dev.offload.archive.CompressionPool;
import dev.offload.archive.ExtractionLimits;
import dev.offload.archive.WriteProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A tar archive, plain or in a compressed stream: the backends differ only in the compressor. */
abstract class TarFamilyBackend implements ArchiveBackend {

    final CompressionPool pool;

    TarFamilyBackend(CompressionPool pool) {
        this.pool = pool;
    }

    /** The single-threaded compressor over {@code out}; its close finishes the stream and closes {@code out}. */
    abstract OutputStream compressor(OutputStream out) throws IOException;

    /** The block codec for compressing on several threads; null when there is nothing to compress. */
    abstract BlockCodec blocks();

    /** The decompressor of a whole stream, concatenated members or streams included; null for plain tar. */
    abstract InputStream decompressor(InputStream in) throws IOException;

    @Override
    public ArchiveWriter open(OutputStream out, WriteProgress progress) throws IOException {
        OutputStream unclosed = new Unclosed(out);
        BlockCodec codec = blocks();
        if (codec != null && pool.parallel()) {
            // Two blocks per thread: one compressing, one waiting, so no thread idles while the caller fills the next.
            OrderedBlockOutputStream parallel = new OrderedBlockOutputStream(unclosed, codec, pool.executor(),
                    2 * pool.threads());
            return new TarWriter(parallel, parallel, progress);
        }
        return new TarWriter(compressor(unclosed), null, progress);
    }

    @Override
    public ArchiveEntries entries(InputStream in, ExtractionLimits limits) throws IOException {
        return TarEntries.open(in, this::decompressor);
    }
}
