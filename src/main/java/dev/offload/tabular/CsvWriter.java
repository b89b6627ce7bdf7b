package dev.offload.tabular;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes one {@link Sheet} as delimited text, comma- or tab-separated ({@link Format}), by the rules of
 * RFC 4180 either way: UTF-8, CRLF line ends, a field quoted when it holds the separator, a quote or a line
 * break, quotes inside doubled. A header line, then one line per row as it streams. Formula-like text gets a
 * leading apostrophe ({@link SpreadsheetText}), timestamps are ISO-8601 UTC with milliseconds, decimals
 * have three digits after the point, booleans are {@code true} or {@code false}, an empty cell is an empty
 * field.
 *
 * <p>Written straight to bytes rather than through FastCSV: on the same rows FastCSV 4.0.0 wrote a little over
 * half as many per second, as every value becomes a String and every char goes through an encoder
 * (docs/tabular.md, {@code bin/bench tabular-csv}).
 */
public final class CsvWriter {

    /** The separator, and what a file of it is called and served as. */
    public enum Format {
        CSV(',', "csv", "text/csv; charset=utf-8"),
        TSV('\t', "tsv", "text/tab-separated-values; charset=utf-8");

        private final char separator;
        private final String extension;
        private final String contentType;

        Format(char separator, String extension, String contentType) {
            this.separator = separator;
            this.extension = extension;
            this.contentType = contentType;
        }

        public char separator() {
            return separator;
        }

        public String extension() {
            return extension;
        }

        public String contentType() {
            return contentType;
        }
    }

    private CsvWriter() {
    }

    /** Writes {@code sheet} as comma-separated values: {@link #write(Sheet, Format, Progress, OutputStream)}. */
    public static void write(Sheet sheet, Progress progress, OutputStream output) throws Exception {
        write(sheet, Format.CSV, progress, output);
    }

    /**
     * Writes {@code sheet} in {@code format} into {@code output}, which stays open; rows are counted into
     * {@code progress}, which may stop the writing between rows.
     */
    public static void write(Sheet sheet, Format format, Progress progress, OutputStream output) throws Exception {
        char separator = format.separator();
        List<Column> columns = sheet.columns();
        Column.Type[] types = columns.stream().map(Column::type).toArray(Column.Type[]::new);
        TextBytes buffer = new TextBytes(output);
        UtcTimestamps timestamps = new UtcTimestamps();
        RowProgress rows = new RowProgress(progress, sheet.expectedRows());
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                buffer.raw(separator);
            }
            SpreadsheetText.appendCsv(buffer, columns.get(i).header(), separator);
        }
        buffer.raw("\r\n");
        sheet.rows().write(values -> {
            if (values.length != types.length) {
                throw new IllegalArgumentException("a row of " + sheet.name() + " has " + values.length + " values for "
                        + types.length + " columns");
            }
            for (int i = 0; i < types.length; i++) {
                if (i > 0) {
                    buffer.raw(separator);
                }
                Object value = values[i];
                if (value != null) {
                    appendValue(buffer, types[i], value, separator, timestamps);
                }
            }
            buffer.raw("\r\n");
            rows.row();
        });
        buffer.flush();
        output.flush();
        rows.finished();
    }

    private static void appendValue(TextBytes out, Column.Type type, Object value, char separator,
            UtcTimestamps timestamps) throws IOException {
        switch (type) {
            case TEXT -> {
                if (value instanceof java.util.UUID) {
                    out.raw(value.toString());
                } else {
                    SpreadsheetText.appendCsv(out, value.toString(), separator);
                }
            }
            case INTEGER -> out.number(((Number) value).longValue());
            case DECIMAL -> appendDecimal(out, ((Number) value).doubleValue());
            case TIMESTAMP -> timestamps.appendIso(out, UtcTimestamps.epochMillis(value));
            case BOOLEAN -> out.raw((Boolean) value ? "true" : "false");
        }
    }

    /** Three decimals, without the cost of a formatter. */
    static void appendDecimal(TextBytes out, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return;
        }
        long thousandths = Math.round(value * 1000);
        if (thousandths < 0) {
            out.raw('-');
            thousandths = -thousandths;
        }
        out.number(thousandths / 1000).raw('.');
        long fraction = thousandths % 1000;
        out.raw((char) ('0' + fraction / 100)).raw((char) ('0' + fraction / 10 % 10)).raw((char) ('0' + fraction % 10));
    }
}
