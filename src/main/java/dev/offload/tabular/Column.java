package dev.offload.tabular;

/**
 * One column of a {@link Sheet}: its header, the type its cells are written as, and its width in characters.
 */
public record Column(String header, Type type, int width) {

    public enum Type {
        /** Text; values starting like a formula are written as text. */
        TEXT,
        /** A whole number (any {@link Number}). */
        INTEGER,
        /** A number shown with three decimals (durations in seconds, say). */
        DECIMAL,
        /** A point in time ({@code OffsetDateTime}, {@code Instant}): a date cell in xlsx, ISO-8601 UTC in csv. */
        TIMESTAMP,
        /** A {@link Boolean}: a TRUE/FALSE cell in xlsx, {@code true} or {@code false} in csv. */
        BOOLEAN
    }

    public static Column text(String header, int width) {
        return new Column(header, Type.TEXT, width);
    }

    public static Column integer(String header, int width) {
        return new Column(header, Type.INTEGER, width);
    }

    public static Column decimal(String header, int width) {
        return new Column(header, Type.DECIMAL, width);
    }

    public static Column timestamp(String header) {
        return new Column(header, Type.TIMESTAMP, 20);
    }

    public static Column bool(String header, int width) {
        return new Column(header, Type.BOOLEAN, width);
    }
}
