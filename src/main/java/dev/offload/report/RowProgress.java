package dev.offload.report;

/** Counts written rows; every few thousand, reports progress and checks for cancellation. */
final class RowProgress {

    private static final int EVERY = 4096;

    private final ReportContext context;
    private final long total;
    private long done;

    RowProgress(ReportContext context, long total) {
        this.context = context;
        this.total = Math.max(0, total);
    }

    void row() {
        if (++done % EVERY == 0) {
            context.checkCancelled();
            context.progress(done, Math.max(total, done));
        }
    }

    void finished() {
        context.progress(done, Math.max(total, done));
    }
}
