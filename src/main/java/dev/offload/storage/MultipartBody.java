package dev.offload.storage;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multipart upload as it arrives: the part named {@value #FILE_PART} is read as a stream (Vert.x decodes the
 * body incrementally, nothing goes to disk or memory whole); other file parts are read and dropped. Create it on
 * the request's context, with the request paused, then resume the request.
 */
final class MultipartBody {

    static final String FILE_PART = "file";

    /** The file part: the name and type it was sent with, and its content. */
    record Part(String filename, String contentType, BodyInputStream body) {
    }

    private final Duration idle;
    private final CompletableFuture<Part> file = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicInteger fileParts = new AtomicInteger();
    private volatile boolean discarding;

    MultipartBody(HttpServerRequest request, Context context, Duration idle) {
        this.idle = idle;
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            if (FILE_PART.equals(upload.name()) && fileParts.incrementAndGet() == 1 && !discarding) {
                BodyInputStream body = new BodyInputStream(upload, context, idle);
                body.start();
                file.complete(new Part(upload.filename(), upload.contentType(), body));
            } else {
                upload.handler(ignored -> {
                });
            }
        });
        request.endHandler(ignored -> {
            file.complete(null);
            ended.complete(null);
        });
        request.exceptionHandler(failure -> {
            file.completeExceptionally(failure);
            ended.completeExceptionally(failure);
        });
    }

    /** The file part once it starts arriving (blocking); null when the body ended without one. */
    Part file() throws IOException {
        return await(file);
    }

    /** Waits for the end of the body (blocking); returns how many parts were named {@value #FILE_PART}. */
    int awaitEnd() throws IOException {
        await(ended);
        return fileParts.get();
    }

    /** From now on what arrives is dropped. */
    void discard() {
        discarding = true;
        Part part = file.isDone() && !file.isCompletedExceptionally() ? file.join() : null;
        if (part != null) {
            part.body().discard();
        }
    }

    private <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(idle.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the upload was cut off: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the client sent nothing for " + idle.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the upload", e);
        }
    }
}
