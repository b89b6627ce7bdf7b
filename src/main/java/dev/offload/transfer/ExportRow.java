package dev.offload.transfer;

import java.util.List;
import java.util.Map;

/** An export's own row ({@code transfer_export_job}); the file it writes is the job's result. */
public record ExportRow(String resource, String format, List<String> columns, Map<String, Object> filter,
        List<String> orderBy, boolean escapeFormulas, Long rowsExported) {
}
