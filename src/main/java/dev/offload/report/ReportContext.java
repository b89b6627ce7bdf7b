package dev.offload.report;

import java.util.UUID;

/** What a generator sees while it runs: the report, its options and owner, progress and cancellation. */
public interface ReportContext {

    UUID reportId();

    /** Who submitted the report. */
    String owner();

    /** Whether the owner was an admin when submitting: generators scope what they show by it. */
    boolean ownerIsAdmin();

    ReportOptions options();

    /** The format chosen for this report. */
    ReportOutput output();

    /** Records progress; cheap to call often (writes are throttled). */
    void progress(long done, long total);

    /** Throws once the report was cancelled: call between chunks of work. */
    void checkCancelled();
}
