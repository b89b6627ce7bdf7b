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

    private Future<Integer> post() {
        return client.request(HttpMethod.POST, path).compose(request -> request
                .putHeader("Authorization", authorization)
                .putHeader("Content-Type", "application/json")
                .send(body)
                .compose(response -> response.body().map(ignored -> response.statusCode())));
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
            record(ar.succeeded() ? ar.result() : -1, System.nanoTime() - t0, latencies, accepted, failed);
            loop(end, latencies, accepted, failed, sent, active, done);
        });
    }

    /** Requests at a fixed {@code perSecond}, latency measured from when each was due. */
    public Result openLoop(int perSecond, Duration duration) {
        LatencyLog latencies = new LatencyLog();
        LongAdder accepted = new LongAdder();
        LongAdder failed = new LongAdder();
        long total = perSecond * duration.toSeconds();
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        long start = System.nanoTime();
        double interval = 1e9 / perSecond;
        Promise<Void> finished = Promise.promise();
        vertx.runOnContext(v -> vertx.setPeriodic(1, timer -> {
            long due = (long) ((System.nanoTime() - start) / interval) + 1;
            while (sent.get() < Math.min(due, total)) {
                long scheduled = start + (long) (sent.getAndIncrement() * interval);
                post().onComplete(ar -> {
                    record(ar.succeeded() ? ar.result() : -1, System.nanoTime() - scheduled, latencies, accepted, failed);
                    if (answered.incrementAndGet() == total) {
                        finished.tryComplete();
                    }
                });
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(timer);
            }
        }));
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
