package dev.offload.transfer;

import dev.offload.job.JobResponse;
import dev.offload.job.JobView;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An import as clients see it: its state, progress, what the parse and the import counted, and where to go next. */
public record ImportResponse(UUID id, String state, String resource, String format, UUID fileId, @Schema(nullable = true) String filename,
        Options options, JobResponse.Progress progress, Counts counts, @Schema(nullable = true) String problem, @Schema(nullable = true) JobResponse.Error error,
        OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime startedAt, @Schema(nullable = true) OffsetDateTime finishedAt,
        @Schema(nullable = true, description = "when the parse ended (parsed, or input_error)") OffsetDateTime parsedAt,
        @Schema(nullable = true, description = "when the rows were imported") OffsetDateTime importedAt,
        List<String> availableTransitions, Map<String, String> links) {

    public static final String PATH = "/api/v1/imports";

    public record Options(@Schema(nullable = true) String delimiter, @Schema(nullable = true) String sheet, boolean forceImport, boolean skipUnchanged,
            boolean skipParseStep) {
    }

    /** Rows by outcome: {@code new}, {@code update}, {@code skip}, {@code error}, and all read ({@code total}). */
    public record Counts(@Schema(nullable = true) Long total,
            @Schema(nullable = true) @com.fasterxml.jackson.annotation.JsonProperty("new") Long created, @Schema(nullable = true) Long update,
            @Schema(nullable = true) Long skip, @Schema(nullable = true) Long error) {
    }

    static String location(UUID id) {
        return PATH + "/" + id;
    }

    static ImportResponse of(JobView<ImportRow> view, JobResponse job) {
        ImportRow row = view.row();
        String self = location(job.id());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("job", job.links().get("self"));
        links.put("events", job.links().get("events"));
        links.put("errors", self + "/errors");
        links.put("errors_csv", self + "/errors.csv");
        job.availableTransitions().forEach(t -> links.put(t, self + "/" + t));
        return new ImportResponse(job.id(), job.state(), row.resource(), row.format(), row.fileId(), row.filename(),
                new Options(row.delimiter(), row.sheet(), row.forceImport(), row.skipUnchanged(), row.skipParseStep()),
                job.progress(), new Counts(row.rowsTotal(), row.rowsNew(), row.rowsUpdate(), row.rowsSkip(), row.rowsError()),
                row.problem(), job.error(), job.createdAt(), job.startedAt(), job.finishedAt(), row.parsedAt(),
                row.importedAt(), job.availableTransitions(), links);
    }
}
