package dev.offload.job;

import java.util.UUID;

/** Thrown out of a job's work when it notices it was cancelled (or lost its lease). */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(UUID id) {
        super("job " + id + " was cancelled", null, false, false);
    }
}
