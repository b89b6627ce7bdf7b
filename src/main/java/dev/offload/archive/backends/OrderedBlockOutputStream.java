package dev.offload.archive.backends;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A compressed stream made by several threads: bytes are cut into blocks, each compressed on the pool by a
 * {@link BlockCodec}, and the results written to the output in order by the writing thread. At most
 * {@code maxInFlight} blocks are compressing or waiting to be written, so memory stays at about
 * {@code (maxInFlight + 1)} blocks and their compressed forms whatever the archive's size. {@link #close()}
 * finishes the stream (trailer, flush) but never closes the output.
 */
final class OrderedBlockOutputStream extends OutputStream {

    private static final long WAIT_SLICE_MS = 200;

    private final OutputStream out;
    private final BlockCodec codec;
    private final ExecutorService executor;
    private final int maxInFlight;
    private final ArrayDeque<Future<ByteArrayOutputStream>> inFlight = new ArrayDeque<>();
    private Runnable whileWaiting = () -> {
    };
    private byte[] block;
    private int filled;
    private byte[] previous;
    private long total;
    private boolean closed;

    OrderedBlockOutputStream(OutputStream out, BlockCodec codec, ExecutorService executor, int maxInFlight)
            throws IOException {
        this.out = out;
        this.codec = codec;
        this.executor = executor;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.block = new byte[codec.blockSize()];
        out.write(codec.header());
    }

    /** Runs on the writing thread every so often while it waits for a block (progress, cancel checks). */
    void whileWaiting(Runnable action) {
        this.whileWaiting = action;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        ensureOpen();
        codec.update(data, offset, length);
        total += length;
        while (length > 0) {
            int n = Math.min(length, block.length - filled);
            System.arraycopy(data, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == block.length) {
                submit(false);
            }
        }
    }

    @Override
    public void flush() {
        // Blocks are written as they are compressed: a flush cannot end one early without hurting the ratio.
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        submit(true);
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        closed = true;
        out.write(codec.trailer(total));
        out.flush();
    }

    /** Gives up: blocks still compressing are cancelled and nothing more is written. */
    void abort() {
        closed = true;
        for (Future<ByteArrayOutputStream> future : inFlight) {
            future.cancel(false);
        }
        inFlight.clear();
        block = null;
        previous = null;
    }

    private void submit(boolean last) throws IOException {
        byte[] data = block;
        byte[] before = previous;
        int length = filled;
        inFlight.addLast(executor.submit(() -> codec.compress(data, length, before, last)));
        previous = data;
        block = last ? null : new byte[data.length];
        filled = 0;
        while (inFlight.size() >= maxInFlight || (!inFlight.isEmpty() && inFlight.peekFirst().isDone())) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        Future<ByteArrayOutputStream> oldest = inFlight.peekFirst();
        ByteArrayOutputStream compressed = await(oldest);
        inFlight.removeFirst();
        compressed.writeTo(out);
    }

    private ByteArrayOutputStream await(Future<ByteArrayOutputStream> future) throws IOException {
        while (true) {
            try {
                return future.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                whileWaiting.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for compression");
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }
    }

    static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof UncheckedIOException io) {
            return io.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
