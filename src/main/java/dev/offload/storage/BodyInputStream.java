package dev.offload.storage;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body (or one part of a multipart body) read by a worker thread as it arrives. The event loop
 * queues what the client sends; once {@value #PAUSE_AT} bytes wait, the stream is paused (the connection stops
 * reading) until the reader has taken them down to {@value #RESUME_AT}: memory stays flat whatever the size.
 * Create it on the stream's context, with the stream paused; {@link #start()} lets the bytes flow.
 */
final class BodyInputStream extends InputStream {

    static final int PAUSE_AT = 512 * 1024;
    static final int RESUME_AT = 128 * 1024;

    private final ReadStream<Buffer> stream;
    private final Context context;
    private final Duration idle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queued;
    private boolean paused = true;
    private boolean ended;
    private boolean discarding;
    private Throwable failure;
    private byte[] current = new byte[0];
    private int position;

    /** {@code idle}: how long a read waits for the client before it fails. */
    BodyInputStream(ReadStream<Buffer> stream, Context context, Duration idle) {
        this.stream = stream;
        this.context = context;
        this.idle = idle;
        stream.handler(this::arrived);
        stream.endHandler(ignored -> signal(() -> ended = true));
        stream.exceptionHandler(this::failed);
    }

    /** Lets the client's bytes flow (on the stream's context). */
    void start() {
        lock.lock();
        try {
            paused = false;
        } finally {
            lock.unlock();
        }
        stream.resume();
    }

    /** The stream failed (the connection closed, say): the reader's next read throws. */
    void failed(Throwable cause) {
        signal(() -> {
            if (failure == null && !ended) {
                failure = cause;
            }
        });
    }

    /** From now on what arrives is dropped (the answer is given; the client may still be sending). */
    void discard() {
        boolean resume;
        lock.lock();
        try {
            discarding = true;
            queue.clear();
            queued = 0;
            resume = paused;
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (resume) {
            context.runOnContext(ignored -> stream.resume());
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == current.length && !take()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        return n;
    }

    /** Waits for the next piece; false at the end of the body. */
    private boolean take() throws IOException {
        boolean resume = false;
        lock.lock();
        try {
            long waitNanos = idle.toNanos();
            while (queue.isEmpty() && !ended && failure == null && !discarding) {
                if (waitNanos <= 0) {
                    throw new IOException("the client sent nothing for " + idle.toSeconds() + " s");
                }
                waitNanos = changed.awaitNanos(waitNanos);
            }
            if (failure != null) {
                throw new IOException("the upload was cut off: " + failure.getMessage(), failure);
            }
            if (queue.isEmpty()) {
                return false;
            }
            current = queue.poll();
            position = 0;
            queued -= current.length;
            if (paused && queued <= RESUME_AT) {
                paused = false;
                resume = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the upload", e);
        } finally {
            lock.unlock();
        }
        if (resume) {
            context.runOnContext(ignored -> stream.resume());
        }
        return true;
    }

    /** On the event loop: keeps a copy (the buffer may be reused once this returns), pauses when enough wait. */
    private void arrived(Buffer buffer) {
        boolean pause = false;
        lock.lock();
        try {
            if (discarding || buffer.length() == 0) {
                return;
            }
            queue.add(buffer.getBytes());
            queued += buffer.length();
            if (!paused && queued >= PAUSE_AT) {
                paused = true;
                pause = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (pause) {
            stream.pause();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
