package dev.offload.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gathers statistics: fetches each endpoint once, flattens its JSON, and stores the rows of each fetch
 * in a transaction of its own, so one failing endpoint neither stops nor undoes the others. Blocking:
 * call it from a command or another worker thread, never from an event loop.
 */
@ApplicationScoped
public class StatsGatherer {

    private final StatisticWriter writer;

    public StatsGatherer(StatisticWriter writer) {
        this.writer = writer;
    }

    /** One result per endpoint, in the order of the request. */
    public List<EndpointResult> gather(GatherRequest request) {
        EndpointFetcher fetcher = new EndpointFetcher(request);
        ExecutorService fetching = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gather-stats-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<EndpointResult> results = new ArrayList<>();
            for (String endpoint : request.endpoints()) {
                results.add(gather(endpoint, request, fetcher, fetching));
            }
            return results;
        } finally {
            fetching.shutdownNow();
        }
    }

    private EndpointResult gather(String endpoint, GatherRequest request, EndpointFetcher fetcher,
            ExecutorService fetching) {
        long start = System.nanoTime();
        FlatDocument document;
        try {
            URI uri = EndpointFetcher.endpoint(endpoint);
            document = fetch(uri, request.timeout(), fetcher, fetching);
        } catch (StatsInputException e) {
            return EndpointResult.failed(endpoint, e.getMessage(), request.fetchedAt(), since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EndpointResult.failed(endpoint, "interrupted", request.fetchedAt(), since(start));
        }
        try {
            StatisticWriter.Stored stored = writer.store(endpoint, request.fetchedAt(), document).await().indefinitely();
            return EndpointResult.stored(endpoint, stored, document, request.fetchedAt(), since(start));
        } catch (RuntimeException e) {
            return EndpointResult.failed(endpoint, "cannot store: " + rootMessage(e), request.fetchedAt(), since(start));
        }
    }

    /** The whole fetch (connect, answer, body, flattening) within the timeout, or a failure that says which. */
    private static FlatDocument fetch(URI uri, Duration timeout, EndpointFetcher fetcher, ExecutorService fetching)
            throws InterruptedException {
        Future<FlatDocument> fetch = fetching.submit(() -> fetcher.fetch(uri));
        try {
            return fetch.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fetch.cancel(true);
            throw new StatsInputException("no complete answer within " + describe(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatsInputException input) {
                throw input;
            }
            if (cause instanceof HttpConnectTimeoutException) {
                throw new StatsInputException("no connection within " + describe(timeout));
            }
            if (cause instanceof HttpTimeoutException) {
                throw new StatsInputException("no answer within " + describe(timeout));
            }
            if (cause instanceof ConnectException) {
                throw new StatsInputException("cannot connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
            throw new StatsInputException("the fetch failed: " + rootMessage(cause));
        }
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
