package dev.offload.stats;

import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Fetches one endpoint and flattens its body while reading it: follows at most the allowed number of
 * redirects (sending the configured headers only while the origin stays the same), refuses error
 * statuses and HTML pages, and stops reading at the size limit. The caller bounds the total time.
 */
final class EndpointFetcher {

    private final HttpClient client;
    private final GatherRequest request;

    EndpointFetcher(GatherRequest request) {
        this.request = request;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(request.timeout())
                .build();
    }

    /** A URL this gatherer can fetch, or why not. */
    static URI endpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new StatsInputException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new StatsInputException("not an http or https URL");
        }
        if (url.codePointCount(0, url.length()) > Statistic.ENDPOINT_LENGTH) {
            throw new StatsInputException("the URL is longer than " + Statistic.ENDPOINT_LENGTH + " characters");
        }
        return uri;
    }

    FlatDocument fetch(URI endpoint) throws IOException, InterruptedException {
        URI uri = endpoint;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(request.timeout())
                    .header("Accept", "application/json");
            if (sameOrigin(uri, endpoint)) {
                request.headers().forEach(builder::setHeader);
            }
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 300 && status < 400) {
                    String location = response.headers().firstValue("Location").orElseThrow(() ->
                            new StatsInputException("HTTP " + status + " without a Location to follow"));
                    if (redirects == request.maxRedirects()) {
                        throw new StatsInputException("more than " + request.maxRedirects()
                                + " redirects (a redirect loop?), the last to " + location);
                    }
                    uri = next(uri, location);
                    continue;
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (status < 200 || status >= 300) {
                    throw new StatsInputException(statusLine(status) + describeBody(type, body));
                }
                if (isHtml(type)) {
                    throw new StatsInputException("an HTML page (Content-Type " + mediaType(type) + "), not JSON");
                }
                OptionalLong length = response.headers().firstValueAsLong("Content-Length");
                if (length.isPresent() && length.getAsLong() > request.maxBodyBytes()) {
                    throw tooLarge(length.getAsLong());
                }
                try {
                    return Flattener.flatten(new LimitedInputStream(body, request.maxBodyBytes()), request.maxDepth());
                } catch (BodyTooLargeException e) {
                    throw tooLarge(-1);
                }
            }
        }
    }

    private static URI next(URI from, String location) {
        URI to;
        try {
            to = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new StatsInputException("a redirect to something that is not a URL: " + location);
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
            throw new StatsInputException("a redirect to something that is not an http or https URL: " + location);
        }
        return to;
    }

    /** Credentials in the headers go only where they were meant to go. */
    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private StatsInputException tooLarge(long declared) {
        return new StatsInputException("the body is " + (declared >= 0 ? declared + " bytes, " : "")
                + "over the limit of " + bytes(request.maxBodyBytes()));
    }

    private static String bytes(long n) {
        if (n % (1024 * 1024) == 0) {
            return n / (1024 * 1024) + " MiB";
        }
        return n % 1024 == 0 ? n / 1024 + " KiB" : n + " bytes";
    }

    private static String statusLine(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return "HTTP " + status + (known == null ? "" : " " + known.getReasonPhrase());
    }

    /** What the error body says, briefly: a problem's text helps, an HTML page's markup does not. */
    private static String describeBody(String type, InputStream body) throws IOException {
        if (type.isEmpty()) {
            return "";
        }
        if (isHtml(type)) {
            return " (an HTML page)";
        }
        String text = new String(body.readNBytes(400), StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").trim();
        if (text.length() > 160) {
            text = text.substring(0, 157) + "...";
        }
        return " (" + mediaType(type) + (text.isEmpty() ? "" : ": " + text) + ")";
    }

    private static boolean isHtml(String type) {
        String media = mediaType(type);
        return media.equals("text/html") || media.equals("application/xhtml+xml");
    }

    private static String mediaType(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Thrown by {@link LimitedInputStream} at the size limit. */
    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("the body is over its size limit", null);
        }
    }

    /** Reads at most {@code limit} bytes; one more is an error, not a silent truncation. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(Objects.requireNonNull(in));
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

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException();
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
