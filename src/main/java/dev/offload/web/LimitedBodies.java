package dev.offload.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts every request body the resources read, and refuses one over {@code quarkus.http.limits.max-body-size}
 * with a problem+json 413, however it is framed (a declared length over the limit never gets here:
 * {@link BodyLimit}).
 */
@Provider
@Priority(LimitedBodies.PRIORITY)
public class LimitedBodies implements ReaderInterceptor {

    /** Before every other reader interceptor, so whatever they read is counted. */
    static final int PRIORITY = 100;

    private final BodyLimit limit;

    public LimitedBodies(BodyLimit limit) {
        this.limit = limit;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Counting counted = new Counting(context.getInputStream(), limit.limit());
        context.setInputStream(counted);
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            if (counted.exceeded) {
                throw new TooLargeException(limit.limit());
            }
            throw e;
        }
    }

    /** A body over the limit: 413, and the connection closes (the rest of the body is never read). */
    public static class TooLargeException extends RuntimeException {

        private final long limit;

        TooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes, the most accepted");
            this.limit = limit;
        }

        public Response toResponse() {
            return Response.fromResponse(BodyLimit.tooLarge(getMessage()).toResponse())
                    .header("Connection", "close").build();
        }

        public long limit() {
            return limit;
        }
    }

    private static final class Counting extends FilterInputStream {

        private final long limit;
        private long count;
        private boolean exceeded;

        Counting(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count > limit) {
                exceeded = true;
                throw new IOException("request body over " + limit + " bytes");
            }
        }
    }
}
