package dev.offload.job;

import dev.offload.workflow.TransitionLog;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as clients see it, whatever its kind. */
public record JobResponse(UUID id, String kind, String owner, String state, int attempt, int maxAttempts,
        Progress progress, OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime finishedAt, @Schema(nullable = true) Error error,
        @Schema(nullable = true) LastTransition lastTransition, boolean hasResult, List<String> availableTransitions,
        Map<String, String> links) {

    public record Progress(long done, @Schema(nullable = true) Long total, @Schema(nullable = true) Integer percent) {
    }

    /** Why a job ended in error; the stack trace is shown to admins only. */
    public record Error(@Schema(nullable = true) String message, @Schema(nullable = true) String type,
            @Schema(nullable = true) String trace) {
    }

    /** The newest row of the job's transition log. */
    public record LastTransition(String transition, @Schema(nullable = true) String fromState, String toState,
            OffsetDateTime at, @Schema(nullable = true) String actor) {

        static LastTransition of(TransitionLog log) {
            return log == null ? null
                    : new LastTransition(log.transition(), log.fromState(), log.toState(), log.at(), log.actor());
        }
    }

    /** 202 Accepted with the submitted job's {@code Location}. */
    public static jakarta.ws.rs.core.Response accepted(Object body, String location) {
        return jakarta.ws.rs.core.Response.accepted(body).location(java.net.URI.create(location)).build();
    }

    public static String location(UUID id) {
        return JobResource.PATH + "/" + id;
    }

    /**
     * @param available the transitions the caller may apply now ({@link JobService#clientAvailable})
     * @param last      the job's newest log row, or null when not read
     */
    public static JobResponse of(Job job, Caller caller, List<String> available, TransitionLog last) {
        Integer percent = job.progressTotal == null || job.progressTotal <= 0 ? null
                : (int) Math.min(100, job.progressDone * 100 / job.progressTotal);
        Error error = job.errorMessage == null && job.errorType == null ? null
                : new Error(job.errorMessage, job.errorType, caller.admin() ? job.errorTrace : null);
        String self = location(job.id);
        Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("self", self);
        links.put("transitions", self + "/transitions");
        links.put("events", self + "/events");
        if (job.resultFileId != null) {
            links.put("result", self + "/result");
        }
        available.forEach(t -> links.put(t, self + "/" + t));
        return new JobResponse(job.id, job.kind, job.owner, job.state, job.attempt, job.maxAttempts,
                new Progress(job.progressDone, job.progressTotal, percent), job.createdAt, job.startedAt,
                job.finishedAt, error, LastTransition.of(last), job.resultFileId != null, available, links);
    }
}
