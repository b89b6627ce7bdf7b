package dev.offload.storage;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Streams a {@link FileContent} with its Content-Length, one piece at a time (the next is read once the previous
 * is written). Streaming a Multi through Quarkus REST sends {@code Transfer-Encoding: chunked} next to any
 * Content-Length, which clients such as Node's refuse; here the body goes out as it is. A failure after the first
 * byte cuts the connection, so the client sees a short body, never a wrong one.
 */
@Provider
public class FileContentWriter implements ServerMessageBodyWriter<FileContent> {

    private static final Logger LOG = Logger.getLogger(FileContentWriter.class);

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return FileContent.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return FileContent.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(FileContent content, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        request.suspend();
        content.body().subscribe().withSubscriber(new Streamer(request, content.size()));
    }

    @Override
    public void writeTo(FileContent content, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream entityStream) {
        throw new UnsupportedOperationException("a file's content is streamed by writeResponse, not through interceptors");
    }

    private static final class Streamer implements Flow.Subscriber<Buffer> {
        private final ResteasyReactiveRequestContext request;
        private final ServerHttpResponse response;
        private final HttpServerResponse vertx;
        private final long size;
        private volatile Flow.Subscription subscription;
        private long written;
        private boolean started;

        Streamer(ResteasyReactiveRequestContext request, long size) {
            this.request = request;
            this.response = request.serverResponse();
            this.vertx = request.serverRequest().unwrap(HttpServerResponse.class);
            this.size = size;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            response.addCloseHandler(s::cancel); // the client went away: stop reading
            s.request(1);
        }

        @Override
        public void onNext(Buffer piece) {
            start();
            written += piece.length();
            vertx.write(piece.getDelegate()).onComplete(done -> {
                if (done.succeeded()) {
                    subscription.request(1);
                } else {
                    subscription.cancel();
                    request.resume();
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            if (!started) {
                request.resume(failure); // nothing sent yet: the client gets a problem document
                return;
            }
            LOG.errorf("a download stopped after %d of %d bytes: %s", written, size, failure.getMessage());
            response.reset();
            request.resume();
        }

        @Override
        public void onComplete() {
            start();
            if (written != size) {
                LOG.errorf("a stored file gave %d bytes where its record says %d", written, size);
                response.reset();
            } else {
                response.end();
            }
            request.resume();
        }

        /** The head goes with the first piece: the length is set now, when nothing can fail before it is sent. */
        private void start() {
            if (!started) {
                started = true;
                response.setResponseHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
            }
        }
    }
}
