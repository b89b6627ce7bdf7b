package dev.offload.storage;

import java.time.OffsetDateTime;

/**
 * One thing the {@code cleanup} command removes (expired stored files; deleted archives, ...).
 * Each step is a CDI bean; the command runs them all, in {@link #order()}.
 */
public interface CleanupStep {

    /** What the step removes, for the command's output: "expired files". */
    String name();

    /** Lower runs first: steps that release files run before the step that deletes expired files. */
    default int order() {
        return 100;
    }

    /** Removes what is due at {@code now} (blocking); returns how many things it removed. */
    long run(OffsetDateTime now);

    /**
     * As {@link #run(OffsetDateTime)}, naming each thing it removed to {@code removed} as it goes (one line each:
     * "archive 3f2a… week-48 (tar.gz)"). A step whose things have no name worth printing only counts them.
     */
    default long run(OffsetDateTime now, java.util.function.Consumer<String> removed) {
        return run(now);
    }
}
