package dev.offload.archive;

import java.util.Locale;

/** The states of an archive: {@code created → compressing → ready | error}, and {@code cancelled}. */
public enum ArchiveState {
    CREATED, COMPRESSING, READY, ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
