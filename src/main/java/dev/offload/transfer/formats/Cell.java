package dev.offload.transfer.formats;

/**
 * A value as a file gives it, before it is checked against its column: {@code null} (an empty CSV field, an empty
 * cell, a JSON null or an omitted key), a {@link String}, a {@link Boolean} (JSON, xlsx), a {@link Number} (a JSON
 * number or a numeric xlsx cell, kept as its text) or a {@link Tree} (a JSON object or array).
 */
public final class Cell {

    private Cell() {
    }

    /** A number as the file wrote it, digit for digit. */
    public record Number(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A JSON object or array, as JSON text. */
    public record Tree(String json) {
        @Override
        public String toString() {
            return json;
        }
    }

    /** A spreadsheet's date cell: a local date and time (a spreadsheet keeps no zone). */
    public record Moment(java.time.LocalDateTime at) {
        @Override
        public String toString() {
            return at.toString();
        }
    }

    /** The value as text, as a failed row shows it again ({@code errors.csv}); null stays null. */
    public static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
