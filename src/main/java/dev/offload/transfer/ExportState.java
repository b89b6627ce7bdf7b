package dev.offload.transfer;

import java.util.Locale;

/** The states of an export: {@code created → exporting → exported | export_error}, and {@code cancelled}. */
public enum ExportState {
    CREATED, EXPORTING, EXPORTED, EXPORT_ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
