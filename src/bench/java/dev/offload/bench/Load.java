package dev.offload.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * An HTTP load driver on Vert.x (one event loop, keep-alive connections): a closed loop of
 * {@code concurrency} clients for saturation, or an open loop at a fixed rate whose latencies are
 * measured from the intended send time (no coordinated omission).
 */
public final class Load implements AutoCloseable {

    /** What one run observed. */
    public record Result(long sent, long accepted, long failed, double seconds, long[] latencyNanos) {
        public double acceptedPerSecond() {
            return accepted / seconds;
        }

        public double p(double percentile) {
            return Stats.percentileMs(latencyNanos, percentile);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final String path;
    private final String authorization;
    private final Buffer body;

    public Load(int port, int connections, String path, String token, String jsonBody) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
        this.path = path;
        this.authorization = "Bearer " + token;
        this.body = Buffer.buffer(jsonBody);
    }

    /** An answer: its status and body. */
    private record Answer(int status, Buffer body) {
    }

    private Future<Answer> post() {
        return client.request(HttpMethod.POST, path).compose(request -> request
                .putHeader("Authorization", authorization)
                .putHeader("Content-Type", "application/json")
                .send(body)
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer))));
    }

    /** {@code concurrency} clients, each sending its next request when the previous one is answered. */
    public Result closedLoop(int concurrency, Duration duration) {
        LatencyLog latencies = new LatencyLog();
        LongAdder accepted = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong active = new AtomicLong(concurrency);
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                loop(end, latencies, accepted, failed, sent, active, done);
            }
        });
        done.join();
        return new Result(sent.get(), accepted.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, latencies.toArray());
    }

    private void loop(long end, LatencyLog latencies, LongAdder accepted, LongAdder failed, AtomicLong sent,
            AtomicLong active, CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            if (active.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        long t0 = System.nanoTime();
        sent.incrementAndGet();
        post().onComplete(ar -> {
            record(ar.succeeded() ? ar.result().status() : -1, System.nanoTime() - t0, latencies, accepted, failed);
            loop(end, latencies, accepted, failed, sent, active, done);
        });
    }

    /** Requests at a fixed {@code perSecond}, latency measured from when each was due. */
    public Result openLoop(int perSecond, Duration duration) {
        return openLoop(perSecond, duration, (id, due) -> { });
    }

    /**
     * As {@link #openLoop(int, Duration)}, telling {@code acceptedJob} the id of each accepted job (the
     * answer's {@code id}) and the {@link System#nanoTime()} its request was due.
     */
    public Result openLoop(int perSecond, Duration duration, ObjLongConsumer<String> acceptedJob) {
        LatencyLog latencies = new LatencyLog();
        LongAdder accepted = new LongAdder();
        LongAdder failed = new LongAdder();
        long total = perSecond * duration.toSeconds();
        AtomicLong answered = new AtomicLong();
        long start = System.nanoTime();
        double interval = 1e9 / perSecond;
        Promise<Void> finished = Promise.promise();
        io.vertx.core.Context context = vertx.getOrCreateContext();
        // Each request is sent when it is due (parked until then, not polled by a millisecond timer, which
        // would send them half a millisecond late on average), on the client's event loop.
        for (long i = 0; i < total; i++) {
            long scheduled = start + (long) (i * interval);
            for (long wait; (wait = scheduled - System.nanoTime()) > 0;) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            context.runOnContext(v -> post().onComplete(ar -> {
                int status = ar.succeeded() ? ar.result().status() : -1;
                record(status, System.nanoTime() - scheduled, latencies, accepted, failed);
                if (status == 202) {
                    acceptedJob.accept(ar.result().body().toJsonObject().getString("id"), scheduled);
                }
                if (answered.incrementAndGet() == total) {
                    finished.tryComplete();
                }
            }));
        }
        finished.future().toCompletionStage().toCompletableFuture().join();
        return new Result(total, accepted.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, latencies.toArray());
    }

    private static void record(int status, long nanos, LatencyLog latencies, LongAdder accepted, LongAdder failed) {
        if (status == 202) {
            accepted.increment();
            latencies.add(nanos);
        } else {
            failed.increment();
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Latencies of answered requests; appended from the event loop only. */
    private static final class LatencyLog {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
