package dev.offload.archive;

import java.util.Locale;

/** The states of an extraction: {@code created → extracting → extracted | error}, and {@code cancelled}. */
public enum ExtractState {
    CREATED, EXTRACTING, EXTRACTED, ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
