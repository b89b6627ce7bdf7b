package dev.offload.tabular;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes one {@link Sheet} as CSV (RFC 4180: comma, CRLF, quotes doubled, UTF-8): a header line, then one
 * line per row as it streams. Formula-like text gets a leading apostrophe ({@link SpreadsheetText}),
 * timestamps are ISO-8601 UTC with milliseconds, decimals have three digits after the point.
 */
public final class CsvWriter {

    public static final String EXTENSION = "csv";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

    private CsvWriter() {
    }

    /**
     * Writes {@code sheet} into {@code output}, which stays open; rows are counted into {@code progress},
     * which may stop the writing between rows.
     */
    public static void write(Sheet sheet, Progress progress, OutputStream output) throws Exception {
        List<Column> columns = sheet.columns();
        Column.Type[] types = columns.stream().map(Column::type).toArray(Column.Type[]::new);
        TextBytes buffer = new TextBytes(output);
        UtcTimestamps timestamps = new UtcTimestamps();
        RowProgress rows = new RowProgress(progress, sheet.expectedRows());
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                buffer.raw(',');
            }
            SpreadsheetText.appendCsv(buffer, columns.get(i).header());
        }
        buffer.raw("\r\n");
        sheet.rows().write(values -> {
            if (values.length != types.length) {
                throw new IllegalArgumentException("a row of " + sheet.name() + " has " + values.length + " values for "
                        + types.length + " columns");
            }
            for (int i = 0; i < types.length; i++) {
                if (i > 0) {
                    buffer.raw(',');
                }
                Object value = values[i];
                if (value != null) {
                    appendValue(buffer, types[i], value, timestamps);
                }
            }
            buffer.raw("\r\n");
            rows.row();
        });
        buffer.flush();
        output.flush();
        rows.finished();
    }

    private static void appendValue(TextBytes out, Column.Type type, Object value, UtcTimestamps timestamps)
            throws IOException {
        switch (type) {
            case TEXT -> {
                if (value instanceof java.util.UUID) {
                    out.raw(value.toString());
                } else {
                    SpreadsheetText.appendCsv(out, value.toString());
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
