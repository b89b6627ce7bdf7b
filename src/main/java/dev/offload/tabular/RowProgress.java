package dev.offload.tabular;

/** Counts written rows; every few thousand, reports progress and checks for cancellation. */
final class RowProgress {

    private static final int EVERY = 4096;

    private final Progress progress;
    private final long total;
    private long done;

    RowProgress(Progress progress, long total) {
        this.progress = progress;
        this.total = Math.max(0, total);
    }

    void row() {
        if (++done % EVERY == 0) {
            progress.checkCancelled();
            progress.progress(done, Math.max(total, done));
        }
    }

    void finished() {
        progress.progress(done, Math.max(total, done));
    }
}
