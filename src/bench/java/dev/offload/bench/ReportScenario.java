package dev.offload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.support.ServiceProcess;
import dev.offload.support.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jobs-detail} over job rows seeded straight into the database (100,000 and 1,000,000; quick: 10,000
 * and 100,000), as xlsx and as csv. Each runs in a fresh service process with a 256 MB heap, so its peak RSS
 * is its own, after two small warm-up reports of the same format. Rows per second come from the report's
 * started and finished times.
 */
public class ReportScenario implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The formats measured, each the label of its figures. */
    private static final List<String> FORMATS = List.of("xlsx", "csv");
    /** Five days of seeded rows (43,200), reported twice in each fresh process before the measured report. */
    private static final Map<String, Object> WARM_UP = Map.of("from", "2024-01-01", "to", "2024-01-06");
    /** The seeded jobs are created in 2024 (one every 10 s), so the reports themselves fall outside the range. */
    private static final Map<String, Object> RANGE = Map.of("from", "2024-01-01", "to", "2025-01-01");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String token = Tokens.bearer(Tokens.admin("bench-" + System.nanoTime()));

    @Override
    public String name() {
        return "report-jobs-detail";
    }

    @Override
    public String description() {
        return "jobs-detail over seeded job rows as xlsx and csv: rows/s and peak RSS of the service (-Xmx256m)";
    }

    @Override
    public Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        for (String size : List.of("10k", "100k", "1m")) {
            targets.put("xlsx_" + size + "_rows_per_s", ">= 100,000");
            targets.put("csv_" + size + "_rows_per_s", ">= 400,000");
        }
        return targets;
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(
                new Ratio("xlsx peak RSS 1M / 100k", "xlsx_1m_peak_rss_mb", "xlsx_100k_peak_rss_mb"),
                new Ratio("csv peak RSS 1M / 100k", "csv_1m_peak_rss_mb", "csv_100k_peak_rss_mb"));
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        List<Integer> sizes = env.quick() ? List.of(10_000, 100_000) : List.of(100_000, 1_000_000);
        Map<String, Double> figures = new LinkedHashMap<>();
        // The first start creates the schema; the rows are seeded after it, for every later process.
        ServiceProcess schema = env.start("report-schema", env.baseConfig("all"));
        env.stop(schema);
        int seeded = 0;
        for (int size : sizes) {
            seed(env, seeded, size);
            seeded = size;
            for (String format : FORMATS) {
                String label = format + "_" + (size >= 1_000_000 ? size / 1_000_000 + "m" : size / 1000 + "k");
                ServiceProcess service = env.start("report-" + label, env.baseConfig("all"));
                try {
                    for (int i = 0; i < 2; i++) {
                        generate(service, format, WARM_UP);
                    }
                    measure(service, format, size, label, figures);
                } finally {
                    env.stop(service);
                }
            }
        }
        return figures;
    }

    private void measure(ServiceProcess service, String format, int size, String label, Map<String, Double> figures)
            throws Exception {
        JsonNode report = generate(service, format, RANGE);
        String self = service.baseUri() + report.get("links").get("self").asText();
        double seconds = Duration.between(OffsetDateTime.parse(report.get("started_at").asText()),
                OffsetDateTime.parse(report.get("finished_at").asText())).toNanos() / 1e9;
        double peak = BenchEnv.peakRssMb(service.pid());

        Instant start = Instant.now();
        HttpResponse<java.io.InputStream> download = http.send(HttpRequest.newBuilder(URI.create(self + "/download"))
                .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        try (java.io.InputStream in = download.body()) {
            bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        double downloadSeconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
        if (download.statusCode() != 200 || bytes != report.get("size").asLong()) {
            throw new IllegalStateException("download: " + download.statusCode() + ", " + bytes + " bytes");
        }

        figures.put(label + "_rows_per_s", size / seconds);
        figures.put(label + "_seconds", seconds);
        figures.put(label + "_peak_rss_mb", peak);
        figures.put(label + "_file_mb", bytes / 1048576.0);
        figures.put(label + "_download_mb_per_s", bytes / 1048576.0 / downloadSeconds);
        System.out.printf("   %s: %,d rows in %.2f s = %,.0f rows/s, %.1f MB, peak RSS %.0f MB, download %.0f MB/s "
                        + "(peak RSS after download %.0f MB)%n", label, size, seconds, size / seconds, bytes / 1048576.0,
                peak, bytes / 1048576.0 / downloadSeconds, BenchEnv.peakRssMb(service.pid()));
    }

    /** Submits jobs-detail over {@code range} and waits for its success; returns the finished report. */
    private JsonNode generate(ServiceProcess service, String format, Map<String, Object> range) throws Exception {
        Map<String, Object> options = new LinkedHashMap<>(range);
        options.put("format", format);
        String body = JSON.writeValueAsString(Map.of("generator_type", "jobs-detail", "generator_options", options));
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/reports"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (submitted.statusCode() != 202) {
            throw new IllegalStateException("submit: " + submitted.statusCode() + " " + submitted.body());
        }
        String self = service.baseUri() + JSON.readTree(submitted.body()).get("links").get("self").asText();
        JsonNode report = awaitEnd(self, Duration.ofMinutes(15));
        if (!"success".equals(report.get("state").asText())) {
            throw new IllegalStateException("jobs-detail " + options + " ended " + report.get("state") + ": "
                    + report.get("status_data"));
        }
        return report;
    }

    private JsonNode awaitEnd(String self, Duration limit) {
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(self)).header("Authorization", token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode report = JSON.readTree(got.body());
            last.set(report);
            String state = report.path("state").asText();
            return state.equals("success") || state.equals("error") || state.equals("cancelled");
        });
        return last.get();
    }

    /** Adds job rows {@code from + 1 .. to}: finished canaries of 100 owners, one every 10 s through 2024. */
    static void seed(BenchEnv env, int from, int to) throws Exception {
        long start = System.nanoTime();
        try (Connection c = env.connect()) {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO job (id, kind, owner, state, attempt, max_attempts, progress_done,
                                     created_at, queued_at, started_at, finished_at)
                    SELECT gen_random_uuid(), 'canary', 'user-' || (g % 100),
                           (ARRAY['success', 'error', 'cancelled'])[1 + g % 3], 1 + g % 3, 3, 0,
                           ts, ts, ts + interval '1 second', ts + interval '1 second' + (g % 5000) * interval '1 millisecond'
                    FROM (SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '10 seconds' AS ts
                          FROM generate_series(?, ?) g) s""")) {
                insert.setInt(1, from + 1);
                insert.setInt(2, to);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE job");
            }
        }
        System.out.printf("   seeded %,d job rows (%,d in all) in %.1f s%n", to - from, to, (System.nanoTime() - start) / 1e9);
    }
}
