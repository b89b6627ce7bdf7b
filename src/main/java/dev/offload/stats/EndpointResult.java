package dev.offload.stats;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What happened to one endpoint of a run: its rows stored, found stored already, or why nothing was written. */
public record EndpointResult(String endpoint, Outcome outcome, int rows, String skipped, String error,
        OffsetDateTime fetchedAt, Duration elapsed) {

    public enum Outcome {
        STORED, STORED_BEFORE, FAILED
    }

    static EndpointResult stored(String endpoint, StatisticWriter.Stored stored, FlatDocument document,
            OffsetDateTime fetchedAt, Duration elapsed) {
        return new EndpointResult(endpoint, stored.before() ? Outcome.STORED_BEFORE : Outcome.STORED, stored.rows(),
                document.describeSkipped(), null, fetchedAt, elapsed);
    }

    static EndpointResult failed(String endpoint, String error, OffsetDateTime fetchedAt, Duration elapsed) {
        return new EndpointResult(endpoint, Outcome.FAILED, 0, "", error, fetchedAt, elapsed);
    }

    public boolean ok() {
        return outcome != Outcome.FAILED;
    }

    /** The command's one line for this endpoint. */
    public String describe() {
        String seconds = String.format(Locale.ROOT, "%.2f s", elapsed.toNanos() / 1e9);
        String at = DateTimeFormatter.ISO_INSTANT.format(fetchedAt);
        return switch (outcome) {
            case STORED -> "OK     " + endpoint + ": " + rows + (rows == 1 ? " row" : " rows") + " stored at " + at
                    + (skipped.isEmpty() ? "" : "; not stored: " + skipped) + " (" + seconds + ")";
            case STORED_BEFORE -> "OK     " + endpoint + ": already stored at " + at + ", nothing added ("
                    + seconds + ")";
            case FAILED -> "FAILED " + endpoint + ": " + error + "; nothing written (" + seconds + ")";
        };
    }
}
