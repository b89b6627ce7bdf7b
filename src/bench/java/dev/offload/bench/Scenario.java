package dev.offload.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark scenario. It prints and returns figures; it asserts nothing about time.
 * The harness runs it several times and reports the median of each figure.
 */
public interface Scenario {

    /** Short name used on the command line: {@code bin/bench <name>}. */
    String name();

    /** One line saying what is measured. */
    String description();

    /** One repetition; figures by name (e.g. {@code accepted_per_s}, {@code p99_ms}, {@code peak_rss_mb}). */
    Map<String, Double> run(BenchEnv env) throws Exception;

    /** Repetitions without {@code --reps}: one that takes turns within itself needs no more than one. */
    default int repetitions(boolean quick) {
        return quick ? 1 : 3;
    }

    /** True if it compares this build with a baseline build ({@code --baseline}): it runs only when named. */
    default boolean needsBaseline() {
        return false;
    }

    /** Ratios to show: each is {@code numerator / denominator} over this scenario's own figures. */
    default List<Ratio> ratios() {
        return List.of();
    }

    /** Figures quoted from outside this run (e.g. the Celery comparison), shown beside the measured ones. */
    default Map<String, Double> references() {
        return Map.of();
    }

    /** Targets, for the table: figure name to a human-readable target like {@code ">= 2400"}. */
    default Map<String, String> targets() {
        return Map.of();
    }

    record Ratio(String name, String numerator, String denominator) {
    }
}
