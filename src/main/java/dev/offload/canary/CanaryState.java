package dev.offload.canary;

import java.util.Locale;

/** The states of a canary: {@code created → running → success | error}, and {@code cancelled}. */
public enum CanaryState {
    CREATED, RUNNING, SUCCESS, ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
