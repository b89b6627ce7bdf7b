package dev.offload.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job's state or progress changed (announced by the database on commit). {@code from} is the state the
 * job left (the same as {@code state} for progress; null where not known); streams use it to show a start
 * that was not announced on its own (see {@link JobEvents}), and it is not sent to clients.
 */
public record JobEvent(UUID id, String kind, String state, int attempt, long done, @Schema(nullable = true) Long total,
        @JsonIgnore String from) {

    /** The job's current state as a snapshot: nothing known about what it left. */
    public static JobEvent of(Job job) {
        return new JobEvent(job.id, job.kind, job.state, job.attempt, job.progressDone, job.progressTotal, null);
    }

    /**
     * The events a stream should show for this change, given the event it showed last (null: none yet):
     * nothing for a change of an earlier attempt than the one shown (a snapshot newer than the change), or
     * for one the stream already shows as it is;
     * this change alone for one into the state and attempt shown (progress, or a snapshot as new as the
     * change); otherwise the state the job left first, when the stream never saw it (a start its worker
     * did not announce, as the job ended first), then this change.
     */
    public List<JobEvent> after(JobEvent shown) {
        if (shown != null && (attempt < shown.attempt || (attempt == shown.attempt && state.equals(shown.state)
                && done == shown.done && java.util.Objects.equals(total, shown.total)))) {
            return List.of(); // an earlier attempt, or exactly what the stream shows (a snapshot read after the change)
        }
        boolean sameAttempt = shown != null && attempt == shown.attempt;
        if (from == null || from.equals(state)
                || (sameAttempt && (state.equals(shown.state) || from.equals(shown.state)))) {
            return List.of(this);
        }
        // Left a state the stream never showed: a claim resets the progress, so the start had none.
        return List.of(new JobEvent(id, kind, from, attempt, 0, null, null), this);
    }
}
