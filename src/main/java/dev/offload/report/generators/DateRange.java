package dev.offload.report.generators;

import dev.offload.report.InvalidOptionsException;
import dev.offload.report.ReportOption;
import dev.offload.report.ReportOptions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The {@code from} (inclusive) and {@code to} (exclusive) options of the built-in generators; either may be absent. */
record DateRange(OffsetDateTime from, OffsetDateTime to) {

    static final ReportOption FROM = ReportOption.dateTime("from",
            "earliest time included (inclusive); a date means midnight UTC; absent: no lower bound");
    static final ReportOption TO = ReportOption.dateTime("to",
            "end of the range (exclusive); a date means midnight UTC; absent: no upper bound");

    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    static DateRange of(ReportOptions options) {
        return new DateRange(options.dateTime(FROM.name()).orElse(EARLIEST), options.dateTime(TO.name()).orElse(LATEST));
    }

    static void validate(ReportOptions options) {
        DateRange range = of(options);
        if (!range.from.isBefore(range.to)) {
            throw InvalidOptionsException.of(TO.name(), "must be after from");
        }
    }
}
