package dev.offload.transfer;

import dev.offload.job.JobResponse;
import dev.offload.job.JobView;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An export as clients see it. */
public record ExportResponse(UUID id, String state, String resource, String format, List<String> columns,
        @Schema(nullable = true) Map<String, Object> filter,
        @Schema(nullable = true) List<String> orderBy, boolean escapeFormulas, @Schema(nullable = true) Long rows,
        JobResponse.Progress progress, @Schema(nullable = true) JobResponse.Error error, OffsetDateTime createdAt,
        @Schema(nullable = true) OffsetDateTime startedAt, @Schema(nullable = true) OffsetDateTime finishedAt, List<String> availableTransitions, Map<String, String> links) {

    public static final String PATH = "/api/v1/exports";

    static String location(UUID id) {
        return PATH + "/" + id;
    }

    static ExportResponse of(JobView<ExportRow> view, JobResponse job) {
        ExportRow row = view.row();
        String self = location(job.id());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("job", job.links().get("self"));
        links.put("events", job.links().get("events"));
        if (job.hasResult()) {
            links.put("download", self + "/download");
        }
        job.availableTransitions().forEach(t -> links.put(t, self + "/" + t));
        return new ExportResponse(job.id(), job.state(), row.resource(), row.format(), row.columns(), row.filter(),
                row.orderBy(), row.escapeFormulas(), row.rowsExported(), job.progress(), job.error(), job.createdAt(),
                job.startedAt(), job.finishedAt(), job.availableTransitions(), links);
    }
}
