package dev.offload.db;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The one clock of the service. */
public final class Timestamps {

    private Timestamps() {
    }

    /** Now in UTC, to the microsecond: what a timestamptz column keeps, so a time written reads back equal. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
