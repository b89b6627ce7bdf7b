package dev.offload.stats;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One run of the gatherer: the endpoints to fetch (each once), the headers sent with every fetch, the
 * limits an answer must keep, and the fetch time every row of the run is stored with.
 *
 * @param timeout      the longest one fetch may take, from connecting to the last byte of the body
 * @param maxBodyBytes the largest body accepted
 * @param maxDepth     the deepest nesting of objects and arrays accepted; the root object is level 1
 * @param maxRedirects redirects followed before the fetch fails
 */
public record GatherRequest(List<String> endpoints, Map<String, String> headers, Duration timeout, long maxBodyBytes,
        int maxDepth, int maxRedirects, OffsetDateTime fetchedAt) {

    public GatherRequest {
        endpoints = List.copyOf(endpoints);
        headers = Map.copyOf(headers);
    }
}
