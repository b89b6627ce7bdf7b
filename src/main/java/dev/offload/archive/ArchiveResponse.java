package dev.offload.archive;

import dev.offload.job.Job;
import dev.offload.job.JobResponse;
import dev.offload.job.JobView;
import dev.offload.storage.StoredFile;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An archive (or an extraction) as clients see it: devilry's CompressedArchiveMeta (created by, role, time, name,
 * storage reference, size, backend, deleted time) with its entries count and checksum, and the job's state.
 */
public record ArchiveResponse(UUID id, String operation, String state, @Schema(nullable = true) String name,
        @Schema(nullable = true) String backend, String createdBy, @Schema(nullable = true) String createdByRole,
        OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime finishedAt,
        @Schema(nullable = true) Integer entryCount, @Schema(nullable = true) Integer entriesDone,
        @Schema(nullable = true) Long totalBytes, @Schema(nullable = true) UUID fileId,
        @Schema(nullable = true) Long size, @Schema(nullable = true) String sha256,
        @Schema(nullable = true) OffsetDateTime deletedAt, JobResponse.Progress progress,
        @Schema(nullable = true) JobResponse.Error error, List<String> availableTransitions,
        Map<String, String> links) {

    public static final String PATH = "/api/v1/archives";

    static String location(UUID id) {
        return PATH + "/" + id;
    }

    static ArchiveResponse of(JobView<?> view, JobResponse common, StoredFile result) {
        Job job = view.job();
        String self = location(job.id);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("job", JobResponse.location(job.id));
        links.put("entries", self + "/entries");
        common.availableTransitions().forEach(t -> links.put(t, JobResponse.location(job.id) + "/" + t));
        if (view.row() instanceof ArchiveRow archive) {
            boolean downloadable = ArchiveState.READY.value().equals(job.state) && archive.deletedAt() == null
                    && result != null;
            if (downloadable) {
                links.put("download", self + "/download");
            }
            return new ArchiveResponse(job.id, "compress", job.state, archive.name(), archive.backend(), job.owner,
                    archive.createdByRole(), job.createdAt, job.finishedAt, archive.entryCount(), archive.entriesDone(),
                    archive.totalBytes(), result == null ? null : result.id(), result == null ? null : result.size(),
                    result == null ? null : result.sha256(), archive.deletedAt(), common.progress(), common.error(),
                    common.availableTransitions(), links);
        }
        ExtractRow extract = (ExtractRow) view.row();
        return new ArchiveResponse(job.id, "extract", job.state, null, extract.backend(), job.owner, null,
                job.createdAt, job.finishedAt, extract.entries() == null ? null : extract.entries().size(), null,
                null, extract.fileId(), null, null, null, common.progress(), common.error(),
                common.availableTransitions(), links);
    }
}
