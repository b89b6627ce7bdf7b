package dev.offload.job;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** What a job's work sees of the engine while it runs. */
public interface JobContext {

    UUID jobId();

    String owner();

    int attempt();

    /** The kind's own row of this job (its table's columns by name), as read when the job was claimed. */
    JsonObject kindRow();

    /** Records progress; written at most every {@code offload.progress-interval}, the last call always. */
    void progress(long done, long total);

    /** True once the job was cancelled or this worker lost its lease: stop and remove partial output. */
    boolean isCancelled();

    /** Throws {@link JobCancelledException} once {@link #isCancelled()}; call between chunks of work. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException(jobId());
        }
    }

    /**
     * Records the stored file this run produced; the engine writes it as the job's result in the same
     * compare-and-set that ends the phase in success (a run that does not succeed records nothing).
     */
    void result(UUID fileId);

    /** Registers clean-up to run if the job is cancelled or fails (removing partial output, say). */
    void onAbort(Runnable cleanup);
}
