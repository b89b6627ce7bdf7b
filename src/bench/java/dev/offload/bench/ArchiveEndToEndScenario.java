package dev.offload.bench;

import dev.offload.security.TokenCommand;
import dev.offload.support.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Archives through the service (api and worker in one process, heap 256 MB): a generated corpus (half text-like,
 * half random, files from 1 KiB to 50 MiB) uploaded through the files API, then archived as zip and tar.gz,
 * timed from submit to {@code ready}; beside it, in the same run, {@code zip -r -6} and {@code tar czf} on the
 * same files from disk. Then the zip is extracted through the service, against {@code unzip} of the same file.
 * The worker's peak RSS after each corpus size tells whether memory stays flat as the corpus grows.
 */
public class ArchiveEndToEndScenario implements Scenario {

    private static final long MIB = 1 << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String name() {
        return "archive-e2e";
    }

    @Override
    public String description() {
        return "archives through the service, submit -> ready: MB/s of input for every backend vs zip -6 / tar c[zjJ]f"
                + " at 256 MiB, zip and tar.gz again at 1 GiB; extraction vs unzip / tar xzf; peak RSS at both sizes";
    }

    @Override
    public int repetitions(boolean quick) {
        return 1;
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("offload-archive-e2e-");
        Map<String, String> config = env.baseConfig("all");
        // OFFLOAD_BENCH_ARCHIVE_STORE=dir: the service stores files in a directory instead of PostgreSQL, to show
        // what the store costs (the tools write into the page cache).
        if ("dir".equals(System.getenv("OFFLOAD_BENCH_ARCHIVE_STORE"))) {
            config.put("offload.storage.backend", "dir:" + Files.createDirectories(work.resolve("store")));
        }
        ServiceProcess service = env.start("archive-e2e", config);
        String token = TokenCommand.sign("bench-archive", Set.of("student"), Duration.ofHours(2));
        try {
            for (long mib : env.quick() ? List.of(32L) : List.of(256L, 1024L)) {
                Path corpus = work.resolve("corpus-" + mib);
                List<Path> files = generate(corpus, mib * MIB);
                JsonArray entries = new JsonArray();
                for (Path file : files) {
                    entries.add(new JsonObject().put("path", corpus.relativize(file).toString())
                            .put("file_id", upload(service, token, file)));
                }
                String size = mib + "mib";
                // Every backend at 256 MiB (and in a quick run); zip and tar.gz again at 1 GiB.
                List<String> backends = mib > 256 ? List.of("zip", "tar.gz")
                        : List.of("zip", "tar", "tar.gz", "tar.bz2", "tar.xz");
                for (String backend : backends) {
                    long start = System.nanoTime();
                    String id = post(service, token, "/api/v1/archives", new JsonObject().put("name", "bench")
                            .put("backend", backend).put("entries", entries)).getString("id");
                    awaitState(service, token, id, "ready");
                    double seconds = (System.nanoTime() - start) / 1e9;
                    String name = backend.replace('.', '_');
                    figures.put(name + "_mb_per_s_" + size, mib * MIB / 1e6 / seconds);
                    Path output = work.resolve("t." + backend);
                    Files.deleteIfExists(output); // zip adds to an archive that exists
                    figures.put(name + "_tool_mb_per_s_" + size, mib * MIB / 1e6 / timed(corpus, TOOLS.get(backend) + output + " ."));
                    if (backend.equals("zip") || backend.equals("tar.gz")) {
                        Path archive = work.resolve("service." + backend);
                        download(service, token, "/api/v1/archives/" + id + "/download", archive);
                        if (backend.equals("zip")) {
                            figures.put("zip_size_vs_tool_" + size, (double) Files.size(archive) / Files.size(output));
                        }
                        String uploaded = upload(service, token, archive);
                        long extractStart = System.nanoTime();
                        String extraction = post(service, token, "/api/v1/archives/extract",
                                new JsonObject().put("file_id", uploaded)).getString("id");
                        awaitState(service, token, extraction, "extracted");
                        figures.put("extract_" + name + "_mb_per_s_" + size,
                                mib * MIB / 1e6 / ((System.nanoTime() - extractStart) / 1e9));
                        Path out = work.resolve("unpacked");
                        Files.createDirectories(out);
                        String unpack = backend.equals("zip") ? "unzip -q -o " + archive + " -d " + out
                                : "tar xzf " + archive + " -C " + out;
                        figures.put((backend.equals("zip") ? "unzip" : "tar_xzf") + "_mb_per_s_" + size,
                                mib * MIB / 1e6 / timed(work, unpack));
                        delete(out);
                        Files.deleteIfExists(archive);
                    }
                    Files.deleteIfExists(output);
                }
                figures.put("peak_rss_mb_after_" + size, BenchEnv.peakRssMb(service.pid()));
                delete(corpus);
            }
        } finally {
            delete(work);
        }
        return figures;
    }

    @Override
    public List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (String size : List.of("32mib", "256mib", "1024mib")) {
            ratios.add(new Ratio("zip through the service / zip -6, " + size, "zip_mb_per_s_" + size, "zip_tool_mb_per_s_" + size));
            ratios.add(new Ratio("tar.gz through the service / tar czf, " + size, "tar_gz_mb_per_s_" + size,
                    "tar_gz_tool_mb_per_s_" + size));
            ratios.add(new Ratio("tar through the service / tar cf, " + size, "tar_mb_per_s_" + size, "tar_tool_mb_per_s_" + size));
            ratios.add(new Ratio("tar.bz2 through the service / tar cjf, " + size, "tar_bz2_mb_per_s_" + size,
                    "tar_bz2_tool_mb_per_s_" + size));
            ratios.add(new Ratio("tar.xz through the service / tar cJf, " + size, "tar_xz_mb_per_s_" + size,
                    "tar_xz_tool_mb_per_s_" + size));
            ratios.add(new Ratio("extraction of the zip through the service / unzip, " + size, "extract_zip_mb_per_s_" + size,
                    "unzip_mb_per_s_" + size));
            ratios.add(new Ratio("extraction of the tar.gz through the service / tar xzf, " + size,
                    "extract_tar_gz_mb_per_s_" + size, "tar_xzf_mb_per_s_" + size));
        }
        ratios.add(new Ratio("peak RSS after 1 GiB / after 256 MiB", "peak_rss_mb_after_1024mib", "peak_rss_mb_after_256mib"));
        return ratios;
    }

    /** The command-line tool each backend is compared with; the archive's path and the directory follow. */
    private static final Map<String, String> TOOLS = Map.of("zip", "zip -q -r -6 ", "tar", "tar cf ",
            "tar.gz", "tar czf ", "tar.bz2", "tar cjf ", "tar.xz", "tar cJf ");

    /** Files of 1 KiB to 50 MiB cycling through sizes, alternately text-like and random, until {@code total}. */
    private static List<Path> generate(Path root, long total) throws IOException {
        long[] sizes = {1 << 10, 64 << 10, 1 << 20, 8 << 20, 50 << 20};
        List<Path> files = new ArrayList<>();
        Random random = new Random(42);
        byte[] words = "offload archive corpus 0123456789 lorem ipsum dolor sit amet\n".getBytes(StandardCharsets.UTF_8);
        long written = 0;
        for (int i = 0; written < total; i++) {
            long size = Math.min(sizes[i % sizes.length], total - written);
            Path file = root.resolve("d" + (i % 7)).resolve("f" + i + (i % 2 == 0 ? ".txt" : ".bin"));
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] block = new byte[64 << 10];
                for (long left = size; left > 0; left -= block.length) {
                    if (i % 2 == 0) {
                        for (int b = 0; b < block.length; b++) {
                            block[b] = words[(b * 7 + random.nextInt(3)) % words.length];
                        }
                    } else {
                        random.nextBytes(block);
                    }
                    out.write(block, 0, (int) Math.min(left, block.length));
                }
            }
            files.add(file);
            written += size;
        }
        return files;
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
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
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
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUri()
                    + "/api/v1/jobs/" + id)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String now = new JsonObject(response.body()).getString("state");
            if (state.equals(now)) {
                return;
            }
            if (List.of("error", "cancelled").contains(now)) {
                throw new IllegalStateException(id + " ended " + now + ": " + response.body());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(id + " did not reach " + state);
    }

    /** Seconds a shell command takes in {@code dir}. */
    private static double timed(Path dir, String command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void delete(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
