package dev.offload.report;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A generator of one table as CSV (RFC 4180: comma, CRLF, quotes doubled, UTF-8), with the same formula
 * escaping as the Excel generator. Subclasses give the {@link Sheet}; rows stream straight to storage.
 */
public abstract class CsvReportGenerator implements ReportGenerator {

    public static final String EXTENSION = "csv";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    private static final int FLUSH_AT = 1 << 16;

    @Override
    public String extension() {
        return EXTENSION;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** The table to write. */
    protected abstract Sheet sheet(ReportContext context) throws Exception;

    @Override
    public void generate(ReportContext context, OutputStream output) throws Exception {
        write(sheet(context), context, output);
    }

    /** Writes {@code sheet} as CSV: a header line, then one line per row. */
    public static void write(Sheet sheet, ReportContext context, OutputStream output) throws Exception {
        List<Column> columns = sheet.columns();
        Column.Type[] types = columns.stream().map(Column::type).toArray(Column.Type[]::new);
        StringBuilder buffer = new StringBuilder(FLUSH_AT + 4096);
        UtcTimestamps timestamps = new UtcTimestamps();
        RowProgress progress = new RowProgress(context, sheet.expectedRows());
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                buffer.append(',');
            }
            SpreadsheetText.appendCsv(buffer, columns.get(i).header());
        }
        buffer.append("\r\n");
        sheet.rows().write(values -> {
            if (values.length != types.length) {
                throw new IllegalArgumentException("a row of " + sheet.name() + " has " + values.length + " values for "
                        + types.length + " columns");
            }
            for (int i = 0; i < types.length; i++) {
                if (i > 0) {
                    buffer.append(',');
                }
                Object value = values[i];
                if (value != null) {
                    appendValue(buffer, types[i], value, timestamps);
                }
            }
            buffer.append("\r\n");
            if (buffer.length() >= FLUSH_AT) {
                flush(buffer, output);
            }
            progress.row();
        });
        flush(buffer, output);
        output.flush();
        progress.finished();
    }

    private static void appendValue(StringBuilder out, Column.Type type, Object value, UtcTimestamps timestamps) {
        switch (type) {
            case TEXT -> SpreadsheetText.appendCsv(out, value.toString());
            case INTEGER -> out.append(((Number) value).longValue());
            case DECIMAL -> appendDecimal(out, ((Number) value).doubleValue());
            case TIMESTAMP -> timestamps.appendIso(out, UtcTimestamps.epochMillis(value));
        }
    }

    /** Three decimals, without the cost of a formatter. */
    static void appendDecimal(StringBuilder out, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return;
        }
        long thousandths = Math.round(value * 1000);
        if (thousandths < 0) {
            out.append('-');
            thousandths = -thousandths;
        }
        out.append(thousandths / 1000).append('.');
        long fraction = thousandths % 1000;
        out.append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10)).append((char) ('0' + fraction % 10));
    }

    private static void flush(StringBuilder buffer, OutputStream output) throws java.io.IOException {
        if (buffer.length() > 0) {
            output.write(buffer.toString().getBytes(StandardCharsets.UTF_8));
            buffer.setLength(0);
        }
    }
}
