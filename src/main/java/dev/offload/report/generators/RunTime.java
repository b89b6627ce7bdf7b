package dev.offload.report.generators;

import java.time.OffsetDateTime;

/** How long a job ran, in seconds: from its (last) start to its end. */
final class RunTime {

    private RunTime() {
    }

    static Double seconds(OffsetDateTime started, OffsetDateTime finished) {
        if (started == null || finished == null) {
            return null;
        }
        long nanos = (finished.toEpochSecond() - started.toEpochSecond()) * 1_000_000_000L
                + finished.getNano() - started.getNano();
        return nanos / 1e9;
    }
}
