package dev.offload.job;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A job as clients see it, whatever its kind. */
public record JobResponse(UUID id, String kind, String owner, String state, int attempt, int maxAttempts,
        Progress progress, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
        Error error, List<String> availableTransitions, Map<String, String> links) {

    public record Progress(long done, Long total, Integer percent) {
    }

    /** Why a job ended in error; the stack trace is shown to admins only. */
    public record Error(String message, String type, String trace) {
    }

    public static String location(UUID id) {
        return JobResource.PATH + "/" + id;
    }

    public static JobResponse of(Job job, JobKind kind, Caller caller) {
        Integer percent = job.progressTotal == null || job.progressTotal <= 0 ? null
                : (int) Math.min(100, job.progressDone * 100 / job.progressTotal);
        Error error = job.errorMessage == null && job.errorType == null ? null
                : new Error(job.errorMessage, job.errorType, caller.admin() ? job.errorTrace : null);
        List<String> available = kind.workflow().available(job.state).stream()
                .filter(kind.clientTransitions()::contains).toList();
        String self = location(job.id);
        Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("self", self);
        links.put("transitions", self + "/transitions");
        links.put("events", self + "/events");
        available.forEach(t -> links.put(t, self + "/" + t));
        return new JobResponse(job.id, job.kind, job.owner, job.state, job.attempt, job.maxAttempts,
                new Progress(job.progressDone, job.progressTotal, percent), job.createdAt, job.startedAt,
                job.finishedAt, error, available, links);
    }
}
