package dev.offload.transfer;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What configuration cannot say about a resource: Java code that sees every row an import reads and every row an
 * export writes. Declare one as a CDI bean ({@code @ApplicationScoped}) implementing this interface; its
 * {@link #resource()} names the resource ({@code offload.resources.<name>}). A second bean for the same resource,
 * or one for a resource that is not configured, stops the start naming its class.
 *
 * <p>Each pass gets hooks of its own from {@link #startImport()} or {@link #startExport()} (an import's dry run and
 * its import are two passes), called on the job's worker thread and shown the rows in file order: a hook may keep
 * what it needs to check a row against the rows before it.
 */
public interface RowHooks {

    /** The resource these hooks belong to. */
    String resource();

    /** A pass over an import's file begins. Default: rows go through unchanged. */
    default ImportHook startImport() {
        return new ImportHook() {
        };
    }

    /** An export begins. Default: rows are written unchanged. */
    default ExportHook startExport() {
        return row -> {
        };
    }

    /** What one pass over an import's file runs. */
    interface ImportHook {

        /**
         * One row of the file whose values passed the column checks, before it is written: change values, skip
         * it, or refuse it.
         */
        default void row(ImportedRow row) {
        }

        /**
         * The rows are written, in the import's transaction on the resource's connection: write what goes with
         * them. Runs in the dry run too (where everything is then rolled back), so whatever this refuses is
         * reported before a confirm; not run when the file is refused.
         */
        default void finish(Connection connection) throws SQLException {
        }
    }

    /** What one export runs on each row before it is written. */
    @FunctionalInterface
    interface ExportHook {
        void row(ExportedRow row);
    }

    /**
     * A row of an import's file. Values are text in the form PostgreSQL is given them (numbers plain, booleans
     * {@code t}/{@code f}, dates and timestamps ISO-8601, timestamps with an offset in UTC), {@code null} for NULL.
     */
    interface ImportedRow {

        /** The row's number in the file (the header not counted). */
        long number();

        /** Whether the file gives {@code column} (a column name of the resource). */
        boolean has(String column);

        /** The value of {@code column}; {@link IllegalArgumentException} when the file does not give it. */
        String get(String column);

        /** Replaces the value of a column the file gives; the new value is checked by the column's rules. */
        void set(String column, String value);

        /** Leaves the row out: not written, counted as skipped. */
        void skip();

        /** Refuses the row: a row error at {@code column} (may be null) with {@code message}. */
        void refuse(String column, String message);
    }

    /**
     * A row of an export. Values by column name as Java types: {@code Long} (integers), {@code BigDecimal}
     * (numeric and floating point), {@code Boolean}, {@code OffsetDateTime} (timestamps with a zone, in UTC),
     * {@code String} (every other type, in PostgreSQL's text form); {@code null} for NULL.
     */
    interface ExportedRow {

        /** Whether the export has {@code column} (a column name of the resource). */
        boolean has(String column);

        /** The value of an exported column; {@link IllegalArgumentException} for a column not exported. */
        Object get(String column);

        /** Replaces the value of an exported column with one of the same Java type, or null. */
        void set(String column, Object value);

        /** Leaves the row out of the file. */
        void skip();
    }
}
