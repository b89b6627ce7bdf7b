package dev.offload.report;

import java.util.UUID;

/** A download of a report that has no result to download (yet, or any more). */
public class ReportNotReadyException extends RuntimeException {

    private final String state;
    private final boolean expired;

    public ReportNotReadyException(UUID id, String state, boolean expired) {
        super(expired
                ? "report " + id + " expired: its result was deleted; submit it again"
                : "report " + id + " is " + state + "; only a report in state success can be downloaded");
        this.state = state;
        this.expired = expired;
    }

    public String state() {
        return state;
    }

    /** True when the report succeeded but its result has expired. */
    public boolean expired() {
        return expired;
    }
}
