package dev.offload.storage;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A download's body: a stored file's content, {@code size} bytes, streamed by {@link FileContentWriter} with that
 * Content-Length (never chunked). Made by {@link FileDownloads}.
 */
public record FileContent(long size, Multi<Buffer> body) {
}
