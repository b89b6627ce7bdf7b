package dev.offload.tabular;

/**
 * Where a writer reports how far it got and asks whether to go on: called every few thousand rows, so a
 * long table can be followed and stopped between rows.
 */
public interface Progress {

    /** Ignores progress and never stops: for a table written outside any work that is followed. */
    Progress NONE = new Progress() {
        @Override
        public void progress(long done, long total) {
        }

        @Override
        public void checkCancelled() {
        }
    };

    /** Rows written so far, of {@code total} (never less than {@code done}). */
    void progress(long done, long total);

    /** Throws to stop the writing, once whoever waits for the table no longer wants it. */
    void checkCancelled();
}
