package dev.offload.bench;

import com.sun.net.httpserver.HttpServer;
import dev.offload.stats.EndpointResult;
import dev.offload.stats.FlatDocument;
import dev.offload.stats.Flattener;
import dev.offload.stats.GatherRequest;
import dev.offload.stats.StatisticWriter;
import dev.offload.stats.StatsGatherer;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * gather-stats on one large document (100,000 keys; 10,000 with --quick), served over HTTP from this
 * JVM: fetch, flatten and store end to end, against the original gatherstats way on the same rows
 * (one INSERT per key, all in one transaction) and a COPY of them. Every way writes a fetch of its
 * own into the same table, so each pays for the same index; the per-key way and COPY get the
 * flattened rows for free, only gather-stats is timed from the HTTP request on.
 */
public final class StatsGatherScenario implements Scenario {

    private static final Pattern ELAPSED = Pattern.compile("\\((\\d+\\.\\d+) s\\)$");
    private static final int WARM_UP = 3;

    @Override
    public String name() {
        return "stats-gather";
    }

    @Override
    public String description() {
        return "gather-stats on a 100,000-key JSON document vs one INSERT per key in one transaction";
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(new Ratio("one_insert_per_key_s / gather_s", "one_insert_per_key_s", "gather_s"));
    }

    @Override
    public Map<String, Double> references() {
        // Measured for the issue: gatherstats' Django ORM (one create per key) and psql COPY, same rows.
        return Map.of("one_insert_per_key_s", 19.6, "copy_s", 0.38);
    }

    @Override
    public Map<String, String> targets() {
        return Map.of("gather_s", "< 1", "one_insert_per_key_s / gather_s", ">= 20×");
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        int keys = env.size(10_000, 100_000);
        byte[] document = document(keys);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stats", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/stats";
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("keys", (double) keys);
        figures.put("document_mib", document.length / 1024.0 / 1024.0);
        var vertx = io.vertx.core.Vertx.vertx();
        try {
            // The command as the CronJob runs it: a fresh JVM (it also migrates the bench database).
            commandProcess(env, endpoint, figures);

            var pool = PgBuilder.pool()
                    .connectingTo(new PgConnectOptions().setHost(TestServices.DB_HOST)
                            .setPort(Integer.parseInt(TestServices.DB_PORT)).setDatabase(env.database())
                            .setUser(TestServices.DB_USER).setPassword(TestServices.DB_PASSWORD))
                    .with(new PoolOptions().setMaxSize(2)).using(vertx).build();
            StatsGatherer gatherer = new StatsGatherer(new StatisticWriter(io.vertx.mutiny.sqlclient.Pool.newInstance(pool)));
            OffsetDateTime at = OffsetDateTime.parse("2025-01-01T00:00:00Z");
            // Warm-up: gather_s is the steady state; the CronJob's cold JVM is command_gather_s above.
            for (int hour = 1; hour <= WARM_UP; hour++) {
                gather(gatherer, endpoint, at.plusHours(hour));
            }
            FlatDocument rows = Flattener.flatten(new ByteArrayInputStream(document), 64);
            figures.put("one_insert_per_key_s", oneInsertPerKey(env, endpoint, at.plusHours(WARM_UP + 1), rows));

            double gather = gather(gatherer, endpoint, at.plusHours(WARM_UP + 2));
            figures.put("gather_s", gather);
            figures.put("keys_per_s", keys / gather);
            figures.put("copy_s", copy(env, endpoint, at.plusHours(WARM_UP + 3), rows));
            pool.close();
            try (Connection c = env.connect(); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM statistic")) {
                rs.next();
                figures.put("rows_in_table", (double) rs.getLong(1)); // keys × (command + warm-up + the three ways)
            }
            double perKey = figures.get("one_insert_per_key_s");
            // The Django figure is for 100,000 keys: compared only at that size.
            String django = keys != 100_000 ? "" : String.format(Locale.ROOT, "; the issue's Django figure %.1f s: %.1f×",
                    references().get("one_insert_per_key_s"), references().get("one_insert_per_key_s") / gather);
            System.out.printf(Locale.ROOT, "   %d keys: gather-stats %.3f s end to end (%.0f keys/s); one INSERT per key"
                            + " %.3f s (%.1f×%s); COPY %.3f s; the command process %.2f s, of which gathering %.3f s%n",
                    keys, gather, keys / gather, perKey, perKey / gather, django, figures.get("copy_s"),
                    figures.get("command_process_s"), figures.get("command_gather_s"));
            return figures;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server.stop(0);
        }
    }

    /** gatherstats' shape: per institution a handful of counts, some of them decimals. */
    static byte[] document(int keys) {
        StringBuilder json = new StringBuilder(keys * 24).append("{\"asset_counts\": {\"by_institution\": {");
        String[] measures = {"completed", "total", "failed", "pending", "size_gib"};
        int institutions = keys / measures.length;
        for (int i = 0; i < institutions; i++) {
            json.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "\"INST%06d\": {", i));
            for (int m = 0; m < measures.length; m++) {
                json.append(m == 0 ? "" : ", ").append('"').append(measures[m]).append("\": ");
                json.append(m == measures.length - 1 ? String.format(Locale.ROOT, "%d.%02d", i % 997, i % 100) : (i * 7 + m) % 100_003);
            }
            json.append('}');
        }
        return json.append("}}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double gather(StatsGatherer gatherer, String endpoint, OffsetDateTime at) {
        long start = System.nanoTime();
        List<EndpointResult> results = gatherer.gather(new GatherRequest(List.of(endpoint), Map.of(), Duration.ofSeconds(60),
                16L * 1024 * 1024, 64, 5, at));
        double seconds = (System.nanoTime() - start) / 1e9;
        EndpointResult result = results.get(0);
        if (result.outcome() != EndpointResult.Outcome.STORED) {
            throw new IllegalStateException(result.describe());
        }
        return seconds;
    }

    private static double oneInsertPerKey(BenchEnv env, String endpoint, OffsetDateTime at, FlatDocument rows)
            throws Exception {
        try (Connection c = env.connect()) {
            // As Django sends each create through psycopg2: a statement parsed by the server every
            // time, not one prepared once (which JDBC would otherwise switch to after five uses).
            c.unwrap(PGConnection.class).setPrepareThreshold(0);
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO statistic (endpoint, key, numeric_value, fetched_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    insert.setString(1, endpoint);
                    insert.setString(2, rows.keys().get(i));
                    insert.setBigDecimal(3, rows.values().get(i));
                    insert.setObject(4, at);
                    insert.executeUpdate();
                }
            }
            c.commit();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double copy(BenchEnv env, String endpoint, OffsetDateTime at, FlatDocument rows) throws Exception {
        StringBuilder csv = new StringBuilder(rows.size() * 64);
        for (int i = 0; i < rows.size(); i++) {
            csv.append(endpoint).append('\t').append(rows.keys().get(i)).append('\t')
                    .append(rows.values().get(i).toPlainString()).append('\t').append(at).append('\n');
        }
        try (Connection c = env.connect()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY statistic (endpoint, key, numeric_value, fetched_at) FROM STDIN", new StringReader(csv.toString()));
            c.commit();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void commandProcess(BenchEnv env, String endpoint, Map<String, Double> figures)
            throws IOException, InterruptedException {
        // The JVM options of the CronJob (k8s/base/cronjob-gather-stats.yaml): a short-lived process gains
        // more from C1 alone than it would from waiting for C2.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        env.baseConfig("command").forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", ServiceProcess.JAR.toString(), "gather-stats",
                "--endpoint", endpoint, "--at", "2025-01-01T00:00:00Z", "--timeout", "60s"));
        Path output = Files.createTempFile("bench-gather-stats", ".out");
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gather-stats did not finish within 180 s");
            }
            figures.put("command_process_s", (System.nanoTime() - start) / 1e9);
            String line = Files.readAllLines(output).stream().filter(l -> l.startsWith("OK ") || l.startsWith("FAILED "))
                    .findFirst().orElse("");
            Matcher elapsed = ELAPSED.matcher(line);
            if (process.exitValue() != 0 || !line.startsWith("OK ") || !elapsed.find()) {
                throw new IllegalStateException("gather-stats exited " + process.exitValue() + ": "
                        + String.join("\n", Files.readAllLines(output)));
            }
            figures.put("command_gather_s", Double.parseDouble(elapsed.group(1)));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
