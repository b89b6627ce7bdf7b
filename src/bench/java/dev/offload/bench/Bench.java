package dev.offload.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code bin/bench [scenario ...] [--quick] [--reps N]}: runs the scenarios against the packaged service
 * and the real PostgreSQL and RabbitMQ, and writes {@code target/bench/results.json} and
 * {@code target/bench/results.md}. Figures only: nothing here asserts a time.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int reps = -1;
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> wanted.add(args[i]);
            }
        }
        if (reps < 1) {
            reps = quick ? 1 : 3;
        }
        Map<String, Scenario> all = new LinkedHashMap<>();
        ServiceLoader.load(Scenario.class).forEach(s -> all.put(s.name(), s));
        List<Scenario> chosen = new ArrayList<>();
        for (String name : wanted.isEmpty() ? List.copyOf(all.keySet()) : wanted) {
            Scenario s = all.get(name);
            if (s == null) {
                System.err.println("unknown scenario " + name + "; known: " + all.keySet());
                System.exit(2);
            }
            chosen.add(s);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("when", OffsetDateTime.now().toString());
        report.put("command", "bin/bench " + String.join(" ", args));
        report.put("machine", BenchEnv.machine());
        report.put("repetitions", reps);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Scenario scenario : chosen) {
            System.out.printf("%n== %s: %s (%d repetition%s)%n", scenario.name(), scenario.description(), reps,
                    reps == 1 ? "" : "s");
            List<Map<String, Double>> runs = new ArrayList<>();
            String failure = null;
            for (int r = 1; r <= reps && failure == null; r++) {
                try (BenchEnv env = new BenchEnv(quick)) {
                    Map<String, Double> figures = scenario.run(env);
                    System.out.printf("   run %d: %s%n", r, figures);
                    runs.add(figures);
                } catch (Exception e) {
                    failure = e.toString();
                    System.out.println("   FAILED: " + failure);
                    e.printStackTrace(System.out);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("scenario", scenario.name());
            result.put("description", scenario.description());
            result.put("runs", runs);
            Map<String, Double> median = Stats.medianOfEach(runs);
            result.put("median", median);
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (Scenario.Ratio ratio : scenario.ratios()) {
                Double n = median.get(ratio.numerator());
                Double d = median.get(ratio.denominator());
                if (n != null && d != null && d != 0) {
                    ratios.put(ratio.name(), n / d);
                }
            }
            result.put("ratios", ratios);
            result.put("references", scenario.references());
            result.put("targets", scenario.targets());
            if (failure != null) {
                result.put("failure", failure);
            }
            results.add(result);
        }
        report.put("results", results);

        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), report);
        String markdown = Markdown.table(report);
        Files.writeString(dir.resolve("results.md"), markdown);
        System.out.println();
        System.out.println(markdown);
        System.out.println("written: target/bench/results.json, target/bench/results.md");
        System.exit(0);
    }
}
