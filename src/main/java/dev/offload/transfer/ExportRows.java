package dev.offload.transfer;

import dev.offload.tabular.SpreadsheetText;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * The rows of an export read from its cursor as Java values (see {@link RowHooks.ExportedRow} for the types), each
 * shown to the resource's export hook, if it has one, before it is written. One instance serves every row.
 */
final class ExportRows implements RowHooks.ExportedRow {

    /** PostgreSQL's output form of a timestamp with a zone, with the session in UTC (as COPY writes it). */
    private static final DateTimeFormatter PG_UTC = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ')
            .appendPattern("HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .appendLiteral("+00").toFormatter();

    private final List<ResourceColumn> columns;
    private final RowHooks.ExportHook hook;
    private final Object[] values;
    private final ColumnIndex index;
    private boolean skipped;

    ExportRows(List<ResourceColumn> columns, RowHooks.ExportHook hook) {
        this.columns = columns;
        this.hook = hook;
        this.values = new Object[columns.size()];
        this.index = new ColumnIndex(columns, "the export", "has");
    }

    /** Reads the cursor's current row into {@link #values()}: false when the hook left it out. */
    boolean read(ResultSet r) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            int at = i + 1;
            values[i] = switch (columns.get(i).type()) {
                case SMALLINT, INTEGER, BIGINT -> {
                    long n = r.getLong(at);
                    yield r.wasNull() ? null : (Object) n;
                }
                case NUMERIC, REAL, DOUBLE -> r.getBigDecimal(at);
                case BOOLEAN -> {
                    boolean b = r.getBoolean(at);
                    yield r.wasNull() ? null : (Object) b;
                }
                case TIMESTAMPTZ -> r.getObject(at, OffsetDateTime.class);
                default -> r.getString(at);
            };
        }
        if (hook == null) {
            return true;
        }
        skipped = false;
        hook.row(this);
        return !skipped;
    }

    /** The current row's values, in the order of the columns. */
    Object[] values() {
        return values;
    }

    /** A value as delimited text, as PostgreSQL's {@code COPY … (FORMAT csv)} writes it; null stays null. */
    static String csvText(ResourceColumn column, Object value, boolean escapeFormulas) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof OffsetDateTime t) {
            return PG_UTC.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof String s && escapeFormulas && column.type() == ColumnType.TEXT
                && SpreadsheetText.looksLikeFormula(s)) {
            return "'" + s;
        }
        return value.toString();
    }

    @Override
    public boolean has(String column) {
        return index.has(column);
    }

    @Override
    public Object get(String column) {
        return values[index.at(column)];
    }

    @Override
    public void set(String column, Object value) {
        int i = index.at(column);
        if (value != null && !expected(columns.get(i)).isInstance(value)) {
            throw new IllegalArgumentException("the row hook set " + column + " to a " + value.getClass().getSimpleName()
                    + "; the column holds " + expected(columns.get(i)).getSimpleName() + " values");
        }
        values[i] = value;
    }

    @Override
    public void skip() {
        skipped = true;
    }

    private static Class<?> expected(ResourceColumn column) {
        return switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT -> Long.class;
            case NUMERIC, REAL, DOUBLE -> BigDecimal.class;
            case BOOLEAN -> Boolean.class;
            case TIMESTAMPTZ -> OffsetDateTime.class;
            default -> String.class;
        };
    }

}
