package dev.offload.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians and percentiles over measured samples. */
public final class Stats {

    private Stats() {
    }

    private static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))];
    }

    /** Nanoseconds since the epoch. */
    static long epochNanos(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    public static double percentileMs(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return percentile(sorted, p) / 1_000_000.0;
    }

    static Map<String, Double> medianOfEach(List<Map<String, Double>> runs) {
        Map<String, Double> median = new LinkedHashMap<>();
        if (runs.isEmpty()) {
            return median;
        }
        for (String key : runs.get(0).keySet()) {
            List<Double> values = new ArrayList<>();
            runs.forEach(r -> {
                Double v = r.get(key);
                if (v != null && !v.isNaN()) {
                    values.add(v);
                }
            });
            if (values.isEmpty()) {
                continue;
            }
            values.sort(Double::compare);
            int n = values.size();
            median.put(key, n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2);
        }
        return median;
    }
}
