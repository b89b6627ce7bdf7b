package dev.offload.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One option a generator takes: its name, type and meaning. The registry checks submitted options against
 * these (unknown names, wrong types, values outside the choices) and {@code GET /api/v1/reports/generators}
 * shows them as a JSON schema.
 */
public record ReportOption(String name, Type type, String description, List<String> choices, String defaultValue) {

    public enum Type {
        /** Free text. */
        STRING,
        /** An ISO-8601 date ({@code 2025-01-31}, midnight UTC) or instant ({@code 2025-01-31T12:00:00Z}). */
        DATE_TIME,
        /** One of {@link #choices()}. */
        CHOICE
    }

    public static ReportOption string(String name, String description) {
        return new ReportOption(name, Type.STRING, description, List.of(), null);
    }

    public static ReportOption dateTime(String name, String description) {
        return new ReportOption(name, Type.DATE_TIME, description, List.of(), null);
    }

    public static ReportOption choice(String name, String description, String defaultValue, String... choices) {
        return new ReportOption(name, Type.CHOICE, description, List.of(choices), defaultValue);
    }

    /** This option as a JSON-schema property. */
    public Map<String, Object> schema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (type == Type.DATE_TIME) {
            // A date (midnight UTC) or an instant: either format, not date-time alone.
            schema.put("anyOf", List.of(Map.of("type", "string", "format", "date"),
                    Map.of("type", "string", "format", "date-time")));
            schema.put("examples", List.of("2025-01-31", "2025-01-31T12:00:00Z"));
        } else {
            schema.put("type", "string");
        }
        if (type == Type.CHOICE) {
            schema.put("enum", choices);
        }
        if (defaultValue != null) {
            schema.put("default", defaultValue);
        }
        schema.put("description", description);
        return schema;
    }
}
