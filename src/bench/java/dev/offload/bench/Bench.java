package dev.offload.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offload.HelpOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/bench [scenario ...] [--quick] [--reps N] [--baseline DIR]}: runs the scenarios against the packaged
 * service and the real PostgreSQL and RabbitMQ, and writes {@code target/bench/results.json} and
 * {@code target/bench/results.md}. Figures only: nothing here asserts a time.
 */
@Command(name = "bin/bench", description = {"Runs the benchmarks against the packaged service and the real"
        + " PostgreSQL and RabbitMQ; writes target/bench/results.json and target/bench/results.md."})
public final class Bench implements Callable<Integer> {

    /** Where a baseline build is given when {@code --baseline} is not. */
    static final String BASELINE_VARIABLE = "OFFLOAD_BENCH_BASELINE";

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "The scenarios to run (default: all but those"
            + " that compare with a baseline): ${COMPLETION-CANDIDATES}.", completionCandidates = Names.class)
    List<String> names = new ArrayList<>();

    @Option(names = "--quick", description = "Small sizes and one repetition: a few minutes in all.")
    boolean quick;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions of each scenario, the median shown"
            + " (default: 3, 1 with --quick; 1 for a scenario that takes turns within itself).")
    Integer reps;

    @Option(names = "--baseline", paramLabel = "DIR", description = "A baseline build to compare with (engine-ab):"
            + " the target directory of another commit, holding quarkus-app/ (default: $" + BASELINE_VARIABLE + ").")
    Path baseline;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Scenario> all = scenarios();
        List<Scenario> chosen = new ArrayList<>();
        for (String name : names) {
            Scenario s = all.get(name);
            if (s == null) {
                throw new ParameterException(spec.commandLine(), "Unknown scenario " + name + "; known: " + all.keySet());
            }
            chosen.add(s);
        }
        if (names.isEmpty()) {
            all.values().stream().filter(s -> !s.needsBaseline()).forEach(chosen::add);
        }
        Path baselineJar = baselineJar(chosen.stream().filter(Scenario::needsBaseline).map(Scenario::name).toList());
        if (reps != null && reps < 1) {
            throw new ParameterException(spec.commandLine(), "--reps must be at least 1");
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("when", OffsetDateTime.now().toString());
        report.put("command", "bin/bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        report.put("machine", BenchEnv.machine());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Scenario scenario : chosen) {
            int repetitions = reps != null ? reps : scenario.repetitions(quick);
            System.out.printf("%n== %s: %s (%d repetition%s)%n", scenario.name(), scenario.description(), repetitions,
                    repetitions == 1 ? "" : "s");
            List<Map<String, Double>> runs = new ArrayList<>();
            String failure = null;
            for (int r = 1; r <= repetitions && failure == null; r++) {
                try (BenchEnv env = new BenchEnv(quick, baselineJar)) {
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
            result.put("repetitions", repetitions);
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
        return 0;
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        ServiceLoader.load(Scenario.class).forEach(s -> all.put(s.name(), s));
        return all;
    }

    /** The baseline build's jar, when {@code needing} (scenario names) is not empty; else null. */
    private Path baselineJar(List<String> needing) {
        if (needing.isEmpty()) {
            return null;
        }
        Path dir = baseline;
        if (dir == null && System.getenv(BASELINE_VARIABLE) != null && !System.getenv(BASELINE_VARIABLE).isBlank()) {
            dir = Path.of(System.getenv(BASELINE_VARIABLE));
        }
        if (dir == null) {
            throw new ParameterException(spec.commandLine(), String.join(", ", needing) + " compares with a baseline"
                    + " build: give --baseline DIR or set " + BASELINE_VARIABLE + "=DIR (another commit's target/)");
        }
        for (Path jar : List.of(dir.resolve("quarkus-app").resolve("quarkus-run.jar"), dir.resolve("quarkus-run.jar"))) {
            if (Files.isRegularFile(jar)) {
                return jar.toAbsolutePath();
            }
        }
        throw new ParameterException(spec.commandLine(), "No baseline build in " + dir
                + ": it holds neither quarkus-app/quarkus-run.jar nor quarkus-run.jar (mvn package builds them)");
    }

    /** The scenarios' names, for the usage. */
    public static final class Names extends ArrayList<String> {
        public Names() {
            super(scenarios().keySet());
        }
    }
}
