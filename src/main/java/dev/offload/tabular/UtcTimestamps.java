package dev.offload.tabular;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Timestamps as cells, fast enough for a million rows: ISO-8601 UTC text with milliseconds
 * ({@code 2025-01-31T12:00:00.000Z}) for csv, a serial date number for xlsx. The date part is cached,
 * since consecutive rows mostly share a day.
 */
final class UtcTimestamps {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Days from 1899-12-30 (serial 0 of the 1900 date system, past its leap-year bug) to 1970-01-01. */
    private static final long EXCEL_EPOCH_DAY = 25_569L;

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    static long epochMillis(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toEpochSecond() * 1000 + t.getNano() / 1_000_000;
        }
        if (value instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (value instanceof java.time.LocalDateTime t) {
            return t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass().getName());
    }

    /**
     * The Excel serial date (days since 1899-12-30, fraction = time of day) of a UTC instant, in billionths
     * of a day (nine decimals: a tenth of a millisecond), computed in integers.
     */
    static long excelSerialBillionths(long epochMillis) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long ofDay = epochMillis - day * MILLIS_PER_DAY;
        return (day + EXCEL_EPOCH_DAY) * 1_000_000_000L + (ofDay * 1_000_000_000L + MILLIS_PER_DAY / 2) / MILLIS_PER_DAY;
    }

    void appendIso(TextBytes out, long epochMillis) throws java.io.IOException {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = LocalDate.ofEpochDay(day).toString();
        }
        int millisOfDay = (int) (epochMillis - day * MILLIS_PER_DAY);
        int seconds = millisOfDay / 1000;
        out.raw(cachedDate).raw('T');
        two(out, seconds / 3600);
        out.raw(':');
        two(out, seconds / 60 % 60);
        out.raw(':');
        two(out, seconds % 60);
        out.raw('.');
        int millis = millisOfDay % 1000;
        out.raw((char) ('0' + millis / 100)).raw((char) ('0' + millis / 10 % 10)).raw((char) ('0' + millis % 10));
        out.raw('Z');
    }

    private static void two(TextBytes out, int n) throws java.io.IOException {
        out.raw((char) ('0' + n / 10)).raw((char) ('0' + n % 10));
    }
}
