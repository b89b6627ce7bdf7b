package dev.offload.tabular;

import java.util.List;

/**
 * A table: a name, its columns and what writes its rows, when asked to (so rows stream from their source,
 * a database cursor say, to the file). {@code expectedRows} (0 when unknown) makes progress a percentage.
 */
public record Sheet(String name, List<Column> columns, long expectedRows, Rows rows) {

    public Sheet {
        columns = List.copyOf(columns);
    }

    /** Writes the sheet's rows, in order, one {@link RowSink#row} call each. */
    @FunctionalInterface
    public interface Rows {
        void write(RowSink sink) throws Exception;
    }

    /** Takes rows: one value per column, of the column's type, or null for an empty cell. */
    @FunctionalInterface
    public interface RowSink {
        void row(Object... values) throws Exception;
    }
}
