package dev.offload.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A report generator as clients see it: its type, what it writes and its options as a JSON schema. */
public record GeneratorResponse(String type, String description, String extension, String contentType,
        boolean adminOnly, Map<String, Object> optionsSchema) {

    static GeneratorResponse of(ReportGenerator generator) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (ReportOption option : generator.options()) {
            properties.put(option.name(), option.schema());
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("additionalProperties", false);
        schema.put("required", List.of());
        return new GeneratorResponse(generator.type(), generator.description(), generator.extension(),
                generator.contentType(), generator.adminOnly(), schema);
    }
}
