package dev.offload.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server a test points gather-stats at: each endpoint gets a fresh random path, so the
 * rows of one test never mix with another's. Records how often each path was fetched and with which
 * Authorization header.
 */
final class JsonEndpoints implements AutoCloseable {

    static final String JSON = "application/json";
    static final String HTML = "text/html; charset=utf-8";

    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, String> authorization = new ConcurrentHashMap<>();

    JsonEndpoints() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "json-endpoints");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** {@code http://localhost:port} */
    String origin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The same server under another host name: another origin to the gatherer. */
    String otherOrigin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String serve(int status, String contentType, String body) {
        return handle(exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        });
    }

    String json(String body) {
        return serve(200, JSON, body);
    }

    /** Answers whatever {@code body} supplies at the time of the fetch. */
    String dynamic(java.util.function.Supplier<String> body) {
        return handle(exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        });
    }

    /** Answers 302 to {@code location} (relative or absolute). */
    String redirect(String location) {
        return handle(exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        });
    }

    /** Redirects to itself, forever. */
    String redirectLoop() {
        String[] self = new String[1];
        self[0] = handle(exchange -> {
            exchange.getResponseHeaders().set("Location", self[0]);
            exchange.sendResponseHeaders(302, -1);
        });
        return self[0];
    }

    /** A JSON object padded with a string to {@code size} bytes; chunked, or with its length declared. */
    String sized(long size, boolean declareLength) {
        return handle(exchange -> {
            byte[] head = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(200, declareLength ? size : 0);
            OutputStream out = exchange.getResponseBody();
            out.write(head);
            for (long left = size - head.length - tail.length; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.write(tail);
        });
    }

    /** Starts answering, then waits until the server closes: a fetch that never completes. */
    String stallMidBody() {
        return handle(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"a\": 1, ".getBytes(StandardCharsets.US_ASCII));
            exchange.getResponseBody().flush();
            awaitRelease();
        });
    }

    /** Accepts the request and never answers. */
    String stallBeforeAnswering() {
        return handle(exchange -> awaitRelease());
    }

    int hits(String url) {
        AtomicInteger n = hits.get(path(url));
        return n == null ? 0 : n.get();
    }

    /** The Authorization header the last fetch of {@code url} carried, or null. */
    String authorization(String url) {
        return authorization.get(path(url));
    }

    private String handle(Handler handler) {
        String path = "/" + UUID.randomUUID();
        hits.put(path, new AtomicInteger());
        server.createContext(path, exchange -> {
            hits.get(path).incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorization.put(path, auth);
            }
            try {
                handler.handle(exchange);
            } catch (IOException clientWentAway) {
                // the gatherer stops reading at its limits: expected
            } finally {
                exchange.close();
            }
        });
        return origin() + path;
    }

    private void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String path(String url) {
        return java.net.URI.create(url).getPath();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
