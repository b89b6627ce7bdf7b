package dev.offload.report;

import dev.offload.job.Job;
import dev.offload.job.JobResponse;
import dev.offload.job.JobView;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A report as clients see it: its state, generator and options, and what it produced. */
public record ReportResponse(UUID id, String state, String generatorType, Map<String, Object> generatorOptions,
        String owner, OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime finishedAt, @Schema(nullable = true) String outputFilename,
        @Schema(nullable = true) String contentType, @Schema(nullable = true) Long size,
        @Schema(nullable = true) OffsetDateTime expiresAt, boolean downloadable, JobResponse.Progress progress,
        @Schema(nullable = true) Map<String, Object> statusData, List<String> availableTransitions,
        Map<String, String> links) {

    public static final String PATH = "/api/v1/reports";

    public static String location(UUID id) {
        return PATH + "/" + id;
    }

    static ReportResponse of(JobView<ReportRow> view, JobResponse common) {
        Job job = view.job();
        ReportRow report = view.row();
        boolean downloadable = ReportState.SUCCESS.value().equals(job.state) && job.resultFileId != null
                && (report.expiresAt() == null || report.expiresAt().isAfter(dev.offload.db.Timestamps.now()));
        Map<String, Object> statusData = null;
        if (common.error() != null) {
            statusData = new LinkedHashMap<>();
            statusData.put("message", common.error().message());
            statusData.put("exception_type", common.error().type());
            if (common.error().trace() != null) {
                statusData.put("trace", common.error().trace());
            }
        }
        String self = location(job.id);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("job", JobResponse.location(job.id));
        if (downloadable) {
            links.put("download", self + "/download");
        }
        common.availableTransitions().forEach(t -> links.put(t, self + "/" + t));
        boolean succeeded = ReportState.SUCCESS.value().equals(job.state);
        return new ReportResponse(job.id, job.state, report.generatorType(), report.generatorOptions(), job.owner,
                job.createdAt, job.startedAt, job.finishedAt,
                succeeded ? report.outputFilename() : null, succeeded ? report.contentType() : null,
                succeeded ? report.size() : null, downloadable ? report.expiresAt() : null, downloadable,
                common.progress(), statusData, common.availableTransitions(), links);
    }
}
