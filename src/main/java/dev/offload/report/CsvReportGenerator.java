package dev.offload.report;

import java.io.OutputStream;
import java.util.List;

/**
 * A generator of one table as CSV (RFC 4180: comma, CRLF, quotes doubled, UTF-8), with the same formula
 * escaping as the Excel generator. Subclasses give the {@link Sheet}; rows stream straight to storage.
 */
public abstract class CsvReportGenerator implements ReportGenerator {

    public static final String EXTENSION = "csv";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

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
        TextBytes buffer = new TextBytes(output);
        UtcTimestamps timestamps = new UtcTimestamps();
        RowProgress progress = new RowProgress(context, sheet.expectedRows());
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
            progress.row();
        });
        buffer.flush();
        output.flush();
        progress.finished();
    }

    private static void appendValue(TextBytes out, Column.Type type, Object value, UtcTimestamps timestamps)
            throws java.io.IOException {
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
        }
    }

    /** Three decimals, without the cost of a formatter. */
    static void appendDecimal(TextBytes out, double value) throws java.io.IOException {
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
