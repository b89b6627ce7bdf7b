package dev.offload.bench;

import java.util.List;
import java.util.Map;

/** The results as a Markdown table: one row per figure, with target, reference and ratios. */
final class Markdown {

    private Markdown() {
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> report) {
        StringBuilder out = new StringBuilder();
        Map<String, String> machine = (Map<String, String>) report.get("machine");
        out.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("memory_gib"))
                .append(" GiB, Java ").append(machine.get("java")).append(", ").append(machine.get("os")).append("  \n");
        out.append("Command: `").append(report.get("command")).append("`, the median of each scenario's repetitions"
                + " shown; ").append(report.get("when")).append("\n\n");
        out.append("| scenario | figure | measured | target | reference |\n|---|---|---:|---|---:|\n");
        for (Map<String, Object> result : (List<Map<String, Object>>) report.get("results")) {
            String name = (String) result.get("scenario");
            Map<String, Double> median = (Map<String, Double>) result.get("median");
            Map<String, String> targets = (Map<String, String>) result.get("targets");
            Map<String, Double> references = (Map<String, Double>) result.get("references");
            if (result.containsKey("failure")) {
                out.append("| ").append(name).append(" | failed | ").append(result.get("failure")).append(" | | |\n");
            }
            for (Map.Entry<String, Double> figure : median.entrySet()) {
                out.append("| ").append(name).append(" | ").append(figure.getKey()).append(" | ")
                        .append(format(figure.getValue())).append(" | ")
                        .append(targets.getOrDefault(figure.getKey(), "")).append(" | ")
                        .append(references.containsKey(figure.getKey()) ? format(references.get(figure.getKey())) : "")
                        .append(" |\n");
            }
            Map<String, Double> ratios = (Map<String, Double>) result.get("ratios");
            for (Map.Entry<String, Double> ratio : ratios.entrySet()) {
                out.append("| ").append(name).append(" | ratio ").append(ratio.getKey()).append(" | ")
                        .append(String.format("%.2f×", ratio.getValue())).append(" | ")
                        .append(targets.getOrDefault(ratio.getKey(), "")).append(" | |\n");
            }
        }
        return out.toString();
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format("%,.0f", v);
        }
        return String.format("%.2f", v);
    }
}
