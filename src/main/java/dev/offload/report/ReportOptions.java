package dev.offload.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A report's generator options with typed reads; the registry has checked them against the declared options. */
public final class ReportOptions {

    private final ObjectNode json;

    public ReportOptions(ObjectNode json) {
        this.json = json == null ? JsonNodeFactory.instance.objectNode() : json;
    }

    public ObjectNode json() {
        return json;
    }

    public Optional<String> string(String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    public Optional<OffsetDateTime> dateTime(String name) {
        return string(name).map(ReportOptions::parseDateTime);
    }

    /** A {@link ReportOption.Type#CHOICE} option's value, or its default. */
    public String choice(ReportOption option) {
        return string(option.name()).orElse(option.defaultValue());
    }

    /** {@code 2025-01-31} (midnight UTC) or an instant with its offset; throws {@link DateTimeParseException}. */
    public static OffsetDateTime parseDateTime(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
