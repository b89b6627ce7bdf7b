package dev.offload.transfer;

import java.util.List;
import java.util.Map;

/**
 * An export of a resource: the columns (default all, in the resource's order), a filter by column ({@code
 * {"col": value}} or {@code {"col": {"gte": .., "lt": .., "in": [..], "like": ".."}}}), the order ({@code "col"} or
 * {@code "-col"}), and whether formula-like text is neutralised (default true).
 */
public record ExportRequest(String resource, String format, List<String> columns, Map<String, Object> filter,
        List<String> orderBy, Boolean escapeFormulas) {
}
