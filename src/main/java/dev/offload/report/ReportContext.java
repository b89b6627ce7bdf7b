package dev.offload.report;

import dev.offload.tabular.Progress;
import java.util.UUID;

/**
 * What a generator sees while it runs: the report, its options and owner, progress and cancellation (so it
 * is the {@link Progress} a table writer reports into).
 */
public interface ReportContext extends Progress {

    UUID reportId();

    /** Who submitted the report. */
    String owner();

    /** Whether the owner was an admin when submitting: generators scope what they show by it. */
    boolean ownerIsAdmin();

    ReportOptions options();

    /** The format chosen for this report. */
    ReportOutput output();

    /** Records progress; cheap to call often (writes are throttled). */
    @Override
    void progress(long done, long total);

    /** Throws once the report was cancelled: call between chunks of work. */
    @Override
    void checkCancelled();

    /** Waits until the report is cancelled, at most {@code timeout}: true when it was ({@link dev.offload.job.JobContext#awaitCancelled}). */
    boolean awaitCancelled(java.time.Duration timeout) throws InterruptedException;
}
