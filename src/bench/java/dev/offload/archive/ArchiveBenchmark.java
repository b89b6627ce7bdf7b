package dev.offload.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Not a test: prints how fast each backend archives a generated corpus, single-threaded and on the pool, beside
 * the command-line tool on the same files, taking turns within each round so the machine's load falls on all
 * alike. Asserts nothing.
 *
 * <pre>
 * java -Xmx1g -cp target/test-classes:target/classes:$(cat target/archive-classpath.txt) \
 *     dev.offload.archive.ArchiveBenchmark [--mib 128] [--rounds 2] [--threads N] [--only zip,tar.gz]
 * </pre>
 */
public final class ArchiveBenchmark {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    record Measure(double seconds, long size, double cpuSeconds) {
    }

    record Corpus(Path root, List<Path> files, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long total = Long.parseLong(options.getOrDefault("mib", "128")) * MIB;
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        int threads = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        List<String> ids = List.of(options.getOrDefault("only", String.join(",", Fixtures.IDS)).split(","));
        Path work = Files.createTempDirectory("offload-archive-bench-");
        CompressionPool parallel = new CompressionPool(threads);
        try {
            Corpus corpus = generate(work.resolve("corpus"), total, 42);
            System.out.printf(Locale.ROOT, "corpus: %d files, %.1f MiB (half text-like, half incompressible), "
                    + "%d cores, %d compression threads, java %s%n", corpus.files().size(), corpus.bytes() / (double) MIB,
                    Runtime.getRuntime().availableProcessors(), threads, System.getProperty("java.version"));
            for (String tool : List.of("zip", "tar", "gzip", "bzip2", "xz", "pigz", "pbzip2", "pixz")) {
                System.out.printf("tool %s: %s%n", tool, Fixtures.hasTool(tool) ? version(work, tool) : "not installed");
            }
            ArchiveBackends serialBackends = Fixtures.backends(CompressionPool.serial());
            ArchiveBackends parallelBackends = Fixtures.backends(parallel);
            warmUp(work, Math.max(4 * MIB, total / 8), serialBackends, parallelBackends, ids);
            Map<String, Map<String, List<Measure>>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (String id : ids) {
                    List<String> order = new ArrayList<>(List.of("serial", "parallel", "tool"));
                    java.util.Collections.rotate(order, round);
                    for (String variant : order) {
                        Measure measure = switch (variant) {
                            case "serial" -> ours(serialBackends.get(id), corpus, work);
                            case "parallel" -> ours(parallelBackends.get(id), corpus, work);
                            default -> tool(id, corpus, work);
                        };
                        if (measure == null) {
                            continue;
                        }
                        results.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(variant, k -> new ArrayList<>())
                                .add(measure);
                        System.out.printf(Locale.ROOT, "round %d %-8s %-9s %7.2f s %8.1f MB/s  cpu %5.1f s  size %,d  load %.2f%n",
                                round + 1, id, variant, measure.seconds(), mbps(corpus.bytes(), measure.seconds()),
                                measure.cpuSeconds(), measure.size(),
                                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    }
                }
            }
            print(corpus, results);
            printRoundRatios(results);
        } finally {
            parallel.shutdown();
            delete(work);
        }
    }

    /** Our backend into a file, reading the corpus from disk as a job reads stored files. */
    static Measure ours(ArchiveBackend backend, Corpus corpus, Path work) throws IOException {
        Path output = work.resolve("ours." + backend.extension());
        long cpu = processCpu();
        long start = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 64 * 1024);
                ArchiveWriter writer = backend.open(out)) {
            for (Path file : corpus.files()) {
                Path path = corpus.root().getParent().relativize(file);
                writer.add(path.toString(), Files.size(file), () -> Files.newInputStream(file));
            }
            writer.finish();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpu() - cpu) / 1e9;
        long size = Files.size(output);
        Files.delete(output);
        return new Measure(seconds, size, cpuSeconds);
    }

    /** The command-line tool on the same files; null when it is missing. */
    static Measure tool(String id, Corpus corpus, Path work) throws IOException, InterruptedException {
        String name = corpus.root().getFileName().toString();
        String output = "tool." + id;
        String command = switch (id) {
            case "zip" -> "zip -r -6 -q " + output + " " + name;
            case "tar" -> "tar cf " + output + " " + name;
            case "tar.gz" -> "tar czf " + output + " " + name;
            case "tar.bz2" -> "tar cjf " + output + " " + name;
            case "tar.xz" -> "tar cJf " + output + " " + name;
            default -> throw new IllegalArgumentException(id);
        };
        if (!Fixtures.hasTool(command.substring(0, command.indexOf(' ')))) {
            return null;
        }
        Path times = work.resolve("times.txt");
        // bash's time keyword gives the children's CPU too, so a tool's own threads show.
        Process process = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%R %U %S'; { time " + command + " ; } 2> times.txt")
                .directory(work.toFile()).inheritIO().start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("failed: " + command);
        }
        String[] figures = Files.readString(times).trim().split("\\s+");
        Path file = work.resolve(output);
        long size = Files.size(file);
        Files.delete(file);
        return new Measure(Double.parseDouble(figures[0]), size,
                Double.parseDouble(figures[1]) + Double.parseDouble(figures[2]));
    }

    /** Compiles the hot paths before anything is timed. */
    private static void warmUp(Path work, long bytes, ArchiveBackends serial, ArchiveBackends parallel, List<String> ids)
            throws IOException {
        Corpus small = generate(work.resolve("warm"), bytes, 7);
        for (String id : ids) {
            ours(serial.get(id), small, work);
            ours(parallel.get(id), small, work);
        }
        delete(small.root());
    }

    /**
     * Files of 1 KiB to 50 MiB (log-uniform, so most are small and most bytes are in large ones), half the bytes
     * text-like and half incompressible, in directories of up to 20 files.
     */
    static Corpus generate(Path root, long total, long seed) throws IOException {
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        long text = 0;
        long binary = 0;
        while (text + binary < total) {
            long size = (long) Math.exp(Math.log(KIB) + random.nextDouble() * (Math.log(50 * MIB) - Math.log(KIB)));
            size = Math.min(size, total - text - binary);
            boolean isText = text <= binary;
            int index = files.size();
            Path file = root.resolve(String.format("d%02d/f%04d.%s", index / 20, index, isText ? "txt" : "bin"));
            Files.createDirectories(file.getParent());
            byte[] bytes = isText ? Fixtures.text(seed + index, (int) size) : Fixtures.random(seed + index, (int) size);
            Files.write(file, bytes);
            files.add(file);
            if (isText) {
                text += size;
            } else {
                binary += size;
            }
        }
        return new Corpus(root, files, text + binary);
    }

    private static void print(Corpus corpus, Map<String, Map<String, List<Measure>>> results) {
        System.out.println();
        System.out.println("medians; MB/s = corpus MB (10^6 bytes) per wall-clock second; cpu = process CPU seconds");
        System.out.println("| backend | ours single MB/s (size) | ours parallel MB/s (size) | tool MB/s (size) "
                + "| parallel / single | parallel / tool | size parallel / tool | cpu single / parallel / tool |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        results.forEach((id, variants) -> {
            Measure serial = median(variants.get("serial"));
            Measure parallel = median(variants.get("parallel"));
            Measure tool = variants.containsKey("tool") ? median(variants.get("tool")) : null;
            System.out.printf(Locale.ROOT, "| %s | %.1f (%s) | %.1f (%s) | %s | %.2fx | %s | %s | %.0f / %.0f / %s s |%n", id,
                    mbps(corpus.bytes(), serial.seconds()), mib(serial.size()),
                    mbps(corpus.bytes(), parallel.seconds()), mib(parallel.size()),
                    tool == null ? "not installed" : String.format(Locale.ROOT, "%.1f (%s)",
                            mbps(corpus.bytes(), tool.seconds()), mib(tool.size())),
                    serial.seconds() / parallel.seconds(),
                    tool == null ? "-" : String.format(Locale.ROOT, "%.2fx", tool.seconds() / parallel.seconds()),
                    tool == null ? "-" : String.format(Locale.ROOT, "%+.1f %%", 100.0 * (parallel.size() - tool.size()) / tool.size()),
                    serial.cpuSeconds(), parallel.cpuSeconds(),
                    tool == null ? "-" : String.format(Locale.ROOT, "%.0f", tool.cpuSeconds()));
        });
    }

    /**
     * The ratios that count: within each round, where both sides ran in the same minutes; then their median. A
     * median of each side's times mixes rounds run under different loads.
     */
    private static void printRoundRatios(Map<String, Map<String, List<Measure>>> results) {
        System.out.println();
        System.out.println("per-round ratios (speed: the other's time / ours parallel), then their median");
        System.out.println("| backend | parallel vs single, each round | median | parallel vs tool, each round | median |");
        System.out.println("|---|---|---|---|---|");
        results.forEach((id, variants) -> {
            List<Double> overSerial = ratios(variants.get("serial"), variants.get("parallel"));
            List<Double> overTool = variants.containsKey("tool") ? ratios(variants.get("tool"), variants.get("parallel")) : List.of();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", id, join(overSerial), medianOf(overSerial),
                    overTool.isEmpty() ? "-" : join(overTool), overTool.isEmpty() ? "-" : medianOf(overTool));
        });
    }

    private static List<Double> ratios(List<Measure> other, List<Measure> parallel) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(other.size(), parallel.size()); i++) {
            ratios.add(other.get(i).seconds() / parallel.get(i).seconds());
        }
        return ratios;
    }

    private static String join(List<Double> ratios) {
        return String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2fx", r)).toList());
    }

    private static String medianOf(List<Double> ratios) {
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(Locale.ROOT, "%.2fx", median);
    }

    private static Measure median(List<Measure> measures) {
        List<Measure> sorted = new ArrayList<>(measures);
        sorted.sort(Comparator.comparingDouble(Measure::seconds));
        Measure upper = sorted.get(sorted.size() / 2);
        if (sorted.size() % 2 == 1) {
            return upper;
        }
        Measure lower = sorted.get(sorted.size() / 2 - 1);
        return new Measure((lower.seconds() + upper.seconds()) / 2, (lower.size() + upper.size()) / 2,
                (lower.cpuSeconds() + upper.cpuSeconds()) / 2);
    }

    private static double mbps(long bytes, double seconds) {
        return bytes / 1e6 / seconds;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) MIB);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String version(Path work, String tool) throws IOException, InterruptedException {
        Path output = work.resolve("version.txt");
        Fixtures.run(work, output, tool, tool.equals("zip") ? "-v" : "--version");
        return Files.readAllLines(output).stream().filter(l -> !l.isBlank()).findFirst().orElse("?").trim();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
