package dev.offload.report;

/** The states of a report: {@code unprocessed → generating → success | error}, and {@code cancelled}. */
public enum ReportState {
    UNPROCESSED, GENERATING, SUCCESS, ERROR, CANCELLED;

    /** The name in the job row, the workflow and the API. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
