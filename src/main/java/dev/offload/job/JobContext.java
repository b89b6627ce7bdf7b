package dev.offload.job;

import dev.offload.storage.FileSink;
import dev.offload.storage.StoredFile;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * What a job's work sees of the engine while it runs. Blocking: the work runs on a worker thread.
 *
 * @param <R> the kind's row type
 */
public interface JobContext<R> {

    UUID jobId();

    String owner();

    int attempt();

    /** The kind's row of this job, as read when the job was claimed. */
    R row();

    /** Writes the kind's row of this job (its columns as {@code row} has them; null fields are written as null). */
    void saveRow(R row);

    /**
     * Ends this phase, once {@code run} returns, by {@code transition} (one leading from the phase's running
     * state) instead of the phase's {@code succeed}: a second outcome that is not a failure, such as a parse that
     * found errors in the input ({@code parsing → input_error}) beside one that could not read it at all.
     */
    void endBy(String transition);

    /** Records progress; written at most every {@code offload.progress-interval}, the last call always. */
    void progress(long done, long total);

    /** True once the job was cancelled or this worker lost its lease: stop and remove partial output. */
    boolean isCancelled();

    /**
     * Waits until the job is cancelled (or this worker loses its lease or stops), at most {@code timeout}: true
     * when it was. For work that waits on something outside the process (an upstream's rate limit, a retry's
     * back-off) and must stop at once when cancelled, instead of sleeping through it.
     */
    boolean awaitCancelled(java.time.Duration timeout) throws InterruptedException;

    /** Throws {@link JobCancelledException} once {@link #isCancelled()}; call between chunks of work. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException(jobId());
        }
    }

    /**
     * Opens the job's result file for this phase: written as the work goes, completed by the engine when the
     * phase succeeds and recorded as the job's result in the same compare-and-set that ends the phase (it
     * replaces an earlier phase's result); removed when the phase fails, is cancelled or loses its lease.
     */
    default FileSink createResult(String contentType, String filename) {
        return createResult(contentType, filename, null);
    }

    /** As {@link #createResult(String, String)}, kept until {@code expiresAt} (null: {@code offload.results.expire-after}). */
    FileSink createResult(String contentType, String filename, java.time.OffsetDateTime expiresAt);

    /** The job's result so far (an earlier phase's), if it has one. */
    Optional<StoredFile> result();

    /**
     * An input of the job: a stored file of its owner, complete and not expired; fails with
     * {@link IllegalArgumentException} otherwise. Read it with {@link #open(StoredFile)}.
     */
    StoredFile input(UUID fileId);

    /** The content of a stored file, chunk by chunk. */
    InputStream open(StoredFile file);

    /** Registers clean-up to run if the job is cancelled or fails (removing partial output of its own, say). */
    void onAbort(Runnable cleanup);
}
