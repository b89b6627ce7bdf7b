package dev.offload.bench;

import dev.offload.security.TokenCommand;
import dev.offload.support.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Import and export through the service (api and worker in one process, heap 256 MB) of an 8-column table (int
 * key, three texts, two booleans, numeric(8,2), timestamptz), at 100,000 and 1,000,000 rows: the CSV dry run,
 * the CSV import, the CSV export, the XLSX export, the XLSX dry run and import, each timed from the job's own
 * transition log (the phase's start to its end); beside them, in the same run, {@code psql \copy} of the same
 * data from and to a file. Peak RSS of the service after each size shows whether memory stays flat.
 */
public class TransferScenario implements Scenario {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TABLE = "CREATE TABLE %s (id integer PRIMARY KEY, name text NOT NULL, email text,"
            + " note text, active boolean NOT NULL, verified boolean, balance numeric(8,2), seen_at timestamptz)";

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String description() {
        return "imports and exports through the service, rows/s per phase (CSV, XLSX) vs psql \\copy FROM/TO,"
                + " peak RSS at 100k and 1M rows";
    }

    @Override
    public int repetitions(boolean quick) {
        return 1;
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        try (Connection c = env.connect(); Statement s = c.createStatement()) {
            // In a schema of their own: Flyway migrates only an empty public schema.
            s.execute("CREATE SCHEMA bench");
            s.execute(String.format(TABLE, "bench.items"));
            s.execute(String.format(TABLE, "bench.copy"));
        }
        Map<String, String> config = env.baseConfig("all");
        config.put("offload.resources.bench-items.table", "bench.items");
        ServiceProcess service = env.start("transfer", config);
        String token = TokenCommand.sign("bench-transfer", Set.of("student"), Duration.ofHours(2));
        Path work = Files.createTempDirectory("offload-transfer-");
        try {
            for (int rows : env.quick() ? List.of(20_000) : List.of(100_000, 1_000_000)) {
                String size = rows >= 1_000_000 ? (rows / 1_000_000) + "m" : (rows / 1000) + "k";
                Path csv = work.resolve("items-" + size + ".csv");
                generate(csv, rows);
                sql(env, "TRUNCATE bench.items, bench.copy");
                figures.put("copy_from_rows_per_s_" + size, rows / timed(env, "\\copy bench.copy FROM '" + csv
                        + "' WITH (FORMAT csv, HEADER true)"));
                figures.put("copy_to_rows_per_s_" + size, rows / timed(env, "\\copy bench.copy TO '/dev/null' WITH (FORMAT csv, HEADER true)"));

                String file = upload(service, token, csv);
                String id = post(service, token, "/api/v1/imports", new JsonObject().put("file_id", file)
                        .put("resource", "bench-items")).getString("id");
                awaitState(service, token, id, "parsed");
                figures.put("csv_dry_run_rows_per_s_" + size, rows / phase(service, token, id, "parse", "finish_parse"));
                post(service, token, "/api/v1/imports/" + id + "/confirm", null);
                awaitState(service, token, id, "imported");
                figures.put("csv_import_rows_per_s_" + size, rows / phase(service, token, id, "import", "finish_import"));

                String export = post(service, token, "/api/v1/exports", new JsonObject().put("resource", "bench-items")
                        .put("format", "csv")).getString("id");
                awaitState(service, token, export, "exported");
                figures.put("csv_export_rows_per_s_" + size, rows / phase(service, token, export, "start", "succeed"));

                String xlsxExport = post(service, token, "/api/v1/exports", new JsonObject().put("resource", "bench-items")
                        .put("format", "xlsx")).getString("id");
                awaitState(service, token, xlsxExport, "exported");
                figures.put("xlsx_export_rows_per_s_" + size, rows / phase(service, token, xlsxExport, "start", "succeed"));
                Path xlsx = work.resolve("items-" + size + ".xlsx");
                download(service, token, "/api/v1/exports/" + xlsxExport + "/download", xlsx);
                sql(env, "TRUNCATE bench.items");
                String xlsxFile = upload(service, token, xlsx);
                String xlsxImport = post(service, token, "/api/v1/imports", new JsonObject().put("file_id", xlsxFile)
                        .put("resource", "bench-items")).getString("id");
                awaitState(service, token, xlsxImport, "parsed");
                figures.put("xlsx_dry_run_rows_per_s_" + size, rows / phase(service, token, xlsxImport, "parse", "finish_parse"));
                post(service, token, "/api/v1/imports/" + xlsxImport + "/confirm", null);
                awaitState(service, token, xlsxImport, "imported");
                figures.put("xlsx_import_rows_per_s_" + size, rows / phase(service, token, xlsxImport, "import", "finish_import"));
                figures.put("peak_rss_mb_after_" + size, BenchEnv.peakRssMb(service.pid()));
                Files.deleteIfExists(csv);
                Files.deleteIfExists(xlsx);
            }
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return figures;
    }

    @Override
    public List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (String size : List.of("20k", "100k", "1m")) {
            ratios.add(new Ratio("CSV dry run / \\copy FROM, " + size, "csv_dry_run_rows_per_s_" + size, "copy_from_rows_per_s_" + size));
            ratios.add(new Ratio("CSV import / \\copy FROM, " + size, "csv_import_rows_per_s_" + size, "copy_from_rows_per_s_" + size));
            ratios.add(new Ratio("CSV export / \\copy TO, " + size, "csv_export_rows_per_s_" + size, "copy_to_rows_per_s_" + size));
        }
        ratios.add(new Ratio("peak RSS after 1M / after 100k", "peak_rss_mb_after_1m", "peak_rss_mb_after_100k"));
        return ratios;
    }

    @Override
    public Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        for (String size : List.of("100k", "1m")) {
            targets.put("xlsx_export_rows_per_s_" + size, ">= 100000");
            targets.put("xlsx_import_rows_per_s_" + size, ">= 50000");
        }
        return targets;
    }

    /** Rows of the 8 columns, with quotes, commas, empty strings and NULLs among them. */
    private static void generate(Path file, int rows) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,name,email,note,active,verified,balance,seen_at\n");
            OffsetDateTime base = OffsetDateTime.parse("2024-01-01T00:00:00Z");
            for (int i = 1; i <= rows; i++) {
                out.write(Integer.toString(i));
                out.write(",Person ");
                out.write(Integer.toString(i));
                out.write(i % 10 == 0 ? ",," : ",person" + i + "@example.org,");
                out.write(i % 7 == 0 ? "\"a note, with \"\"quotes\"\"\"" : i % 11 == 0 ? "\"\"" : "plain note " + (i % 100));
                out.write(i % 2 == 0 ? ",true," : ",false,");
                out.write(i % 3 == 0 ? "" : i % 3 == 1 ? "true" : "false");
                out.write(',');
                out.write(Integer.toString(i % 100_000));
                out.write('.');
                out.write(Integer.toString(10 + i % 90));
                out.write(',');
                out.write(base.plusSeconds(i * 37L).toString());
                out.write('\n');
            }
        }
    }

    private static void sql(BenchEnv env, String sql) throws Exception {
        try (Connection c = env.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Seconds psql takes to run a meta-command on the bench database. */
    private static double timed(BenchEnv env, String command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", env.database(), "-q",
                "-v", "ON_ERROR_STOP=1", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql " + command + ": " + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds from the log's {@code from} transition to its {@code to} transition. */
    private static double phase(ServiceProcess service, String token, String id, String from, String to) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/jobs/"
                + id + "/transitions")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonArray log = new JsonArray(response.body());
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        for (int i = 0; i < log.size(); i++) {
            JsonObject row = log.getJsonObject(i);
            if (row.getString("transition").equals(from)) {
                start = OffsetDateTime.parse(row.getString("at"));
            } else if (row.getString("transition").equals(to)) {
                end = OffsetDateTime.parse(row.getString("at"));
            }
        }
        if (start == null || end == null) {
            throw new IllegalStateException(id + " has no " + from + " → " + to + " in " + log);
        }
        return Duration.between(start, end).toNanos() / 1e9;
    }

    private static String upload(ServiceProcess service, String token, Path file) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/files"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .header("X-Filename", URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("upload " + file + ": " + response.statusCode() + " " + response.body());
        }
        return new JsonObject(response.body()).getString("id");
    }

    private static JsonObject post(ServiceProcess service, String token, String path, JsonObject body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return new JsonObject(response.body());
    }

    private static void download(ServiceProcess service, String token, String path, Path to) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri() + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofFile(to));
    }

    private static void awaitState(ServiceProcess service, String token, String id, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri()
                    + "/api/v1/jobs/" + id)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String now = new JsonObject(response.body()).getString("state");
            if (state.equals(now)) {
                return;
            }
            if (List.of("input_error", "parse_error", "import_error", "export_error", "cancelled").contains(now)) {
                throw new IllegalStateException(id + " ended " + now + ": " + response.body());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(id + " did not reach " + state);
    }
}
