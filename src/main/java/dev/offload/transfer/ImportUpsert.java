package dev.offload.transfer;

import dev.offload.job.JobContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The set-based pass of an import over the rows {@link ImportRun} copied into its temporary table: the counts
 * (new, update, skip) by one join, the upsert, and what the database refuses found by running it (halves of
 * the rows under savepoints, down to the refused rows); duplicate keys of the file refused and left out. A dry
 * run rolls back (and skips the upsert where {@link DatabaseChecks} says nothing could be refused); an import
 * commits only if nothing was refused, or {@code force_import} left those rows out.
 */
final class ImportUpsert {

    private static final Pattern KEY_DETAIL = Pattern.compile("Key \\((.+?)\\)=");

    private final TransferResource resource;
    private final ImportRow options;
    private final TransferConfig.Transfer limits;
    private final JobContext<ImportRow> job;
    private final RowErrors errors;

    ImportUpsert(TransferResource resource, ImportRow options, TransferConfig.Transfer limits, JobContext<ImportRow> job,
            RowErrors errors) {
        this.resource = resource;
        this.options = options;
        this.limits = limits;
        this.job = job;
        this.errors = errors;
    }

    /**
     * Classifies and writes the {@code rows} copied into the temporary table ({@code hookSkipped} more were left out
     * by the row hooks), and rolls back or commits.
     */
    ImportRun.Outcome run(Connection c, List<String> header, List<ResourceColumn> assigned, long rows, long hookSkipped,
            boolean commit, ImportRun.CommitPoint commitPoint, RowHooks.ImportHook hook) throws SQLException {
        List<ResourceColumn> keys = assigned.stream().filter(ResourceColumn::key).toList();
        List<ResourceColumn> others = assigned.stream().filter(col -> !col.key()).toList();
        String keyList = keys.stream().map(ResourceColumn::sql).collect(Collectors.joining(", "));
        // A dry run where nothing beyond the input rules could refuse a row only classifies the rows.
        boolean classifyOnly = !commit && !DatabaseChecks.mayRefuse(c, resource.table());
        if (others.isEmpty() || classifyOnly) {
            duplicates(c, keys, keyList, assigned); // DO NOTHING would not notice them, nor a classification
        }
        String join = keys.stream().map(k -> "t." + k.sql() + " = s." + k.sql()).collect(Collectors.joining(" AND "));
        String changed = others.isEmpty() ? "false" : "ROW(" + compared("s", others) + ") IS DISTINCT FROM ROW("
                + compared("t", others) + ")";
        String classify = "SELECT count(*) FILTER (WHERE t." + keys.get(0).sql() + " IS NULL), count(*) FILTER (WHERE t."
                + keys.get(0).sql() + " IS NOT NULL AND " + changed + "), count(*) FILTER (WHERE t." + keys.get(0).sql()
                + " IS NOT NULL AND NOT (" + changed + ")) FROM " + ImportRun.TEMP + " s LEFT JOIN " + resource.table() + " t ON "
                + join;
        long[] counts = counts(c, classify, null);
        String columns = assigned.stream().map(ResourceColumn::sql).collect(Collectors.joining(", "));
        boolean overriding = assigned.stream().anyMatch(ResourceColumn::identityAlways);
        String conflict = others.isEmpty() ? " ON CONFLICT (" + keyList + ") DO NOTHING"
                : " ON CONFLICT (" + keyList + ") DO UPDATE SET " + others.stream()
                        .map(col -> col.sql() + " = EXCLUDED." + col.sql()).collect(Collectors.joining(", "))
                        + (options.skipUnchanged() ? " WHERE ROW(" + compared("t", others) + ") IS DISTINCT FROM ROW("
                                + compared("EXCLUDED", others) + ")" : "");
        String upsert = "INSERT INTO " + resource.table() + " AS t (" + columns + ")"
                + (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM " + ImportRun.TEMP
                + " WHERE row_no BETWEEN ? AND ?" + conflict; // no ORDER BY: a sort of every row for nothing
        List<Long> refused = new ArrayList<>();
        boolean[] indexed = {false};
        if (!classifyOnly) { // else the counts are the classification's
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                long last = Math.max(1, rows);
                if (others.isEmpty()) {
                    upsert(c, s, 1, last, refused, indexed);
                } else {
                    All all = upsertAll(c, s, last);
                    if (all == All.TWICE) {
                        // Two rows of the file with one key ("cannot affect row a second time"): looked for only
                        // now, so a file without them pays for no grouping of all its rows.
                        duplicates(c, keys, keyList, assigned);
                        counts = counts(c, classify, null);
                        all = upsertAll(c, s, last);
                    }
                    if (all == All.REFUSED) {
                        halves(c, s, 1, last, refused, indexed);
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            long[] gone = counts(c, classify + " WHERE s.row_no = ANY(?)", refused);
            for (int i = 0; i < 3; i++) {
                counts[i] -= gone[i];
            }
        }
        long created = counts[0];
        long updated = options.skipUnchanged() ? counts[1] : counts[1] + counts[2];
        long skipped = (options.skipUnchanged() ? counts[2] : 0) + hookSkipped;
        if (hook != null) {
            hook.finish(c);
        }
        ImportRun.Outcome outcome = new ImportRun.Outcome(header, rows, created, updated, skipped, errors.count(), null,
                errors.sorted());
        if (!commit || (errors.count() > 0 && !options.forceImport())) {
            c.rollback();
            return outcome;
        }
        commitPoint.check(c);
        c.commit();
        return outcome;
    }

    /** Rows whose key an earlier row of the file already has: refused, and left out of the rest. */
    private void duplicates(Connection c, List<ResourceColumn> keys, String keyList, List<ResourceColumn> assigned)
            throws SQLException {
        boolean any;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + ImportRun.TEMP + " GROUP BY " + keyList
                        + " HAVING count(*) > 1)")) {
            r.next();
            any = r.getBoolean(1);
        }
        if (!any) {
            return;
        }
        List<Long> dropped = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT d.row_no, d.first, " + assigned.stream()
                        .map(col -> "d." + col.sql() + "::text").collect(Collectors.joining(", ")) + " FROM (SELECT *,"
                        + " min(row_no) OVER (PARTITION BY " + keyList + ") AS first FROM " + ImportRun.TEMP + ") d"
                        + " WHERE d.row_no <> d.first ORDER BY d.row_no")) {
            while (r.next()) {
                long row = r.getLong(1);
                dropped.add(row);
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < assigned.size(); i++) {
                    values.put(assigned.get(i).header(), r.getString(3 + i));
                }
                String keyValue = keys.stream().map(k -> values.get(k.header())).collect(Collectors.joining(", "));
                errors.addByColumn(row, values, List.of(RowErrors.error(keys.get(0).header(), keyValue,
                        "duplicates the key of row " + r.getLong(2) + " of the file")));
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + ImportRun.TEMP + " WHERE row_no = ANY(?)")) {
            s.setArray(1, c.createArrayOf("bigint", dropped.toArray()));
            s.executeUpdate();
        }
    }

    private enum All { DONE, TWICE, REFUSED }

    /** The upsert of every row at once; when it fails, nothing of it stays. */
    private All upsertAll(Connection c, PreparedStatement s, long last) throws SQLException {
        try (Statement sp = c.createStatement()) {
            sp.execute("SAVEPOINT offload_all");
        }
        try {
            s.setLong(1, 1);
            s.setLong(2, last);
            s.executeUpdate();
            try (Statement sp = c.createStatement()) {
                sp.execute("RELEASE SAVEPOINT offload_all");
            }
            return All.DONE;
        } catch (PSQLException e) {
            boolean twice = "21000".equals(e.getSQLState());
            if (!twice && !isRefusal(e)) {
                throw e;
            }
            try (Statement sp = c.createStatement()) {
                sp.execute("ROLLBACK TO SAVEPOINT offload_all");
                sp.execute("RELEASE SAVEPOINT offload_all");
            }
            return twice ? All.TWICE : All.REFUSED;
        }
    }

    /** The upsert of rows {@code lo..hi}; when refused, its halves, down to the rows at fault. */
    private void upsert(Connection c, PreparedStatement s, long lo, long hi, List<Long> refused, boolean[] indexed)
            throws SQLException {
        try (Statement sp = c.createStatement()) {
            sp.execute("SAVEPOINT offload_rows");
        }
        try {
            s.setLong(1, lo);
            s.setLong(2, hi);
            s.executeUpdate();
            try (Statement sp = c.createStatement()) {
                sp.execute("RELEASE SAVEPOINT offload_rows");
            }
            return;
        } catch (PSQLException e) {
            if (!isRefusal(e)) {
                throw e;
            }
            try (Statement sp = c.createStatement()) {
                sp.execute("ROLLBACK TO SAVEPOINT offload_rows");
                sp.execute("RELEASE SAVEPOINT offload_rows");
            }
            if (lo == hi) {
                refused.add(lo);
                refusedByDatabase(c, lo, e);
                return;
            }
        }
        halves(c, s, lo, hi, refused, indexed);
    }

    /** Rows {@code lo..hi} were refused together: each half on its own. */
    private void halves(Connection c, PreparedStatement s, long lo, long hi, List<Long> refused, boolean[] indexed)
            throws SQLException {
        job.checkCancelled();
        if (!indexed[0]) {
            indexed[0] = true;
            try (Statement st = c.createStatement()) {
                st.execute("CREATE INDEX ON " + ImportRun.TEMP + " (row_no)");
                st.execute("ANALYZE " + ImportRun.TEMP);
            }
        }
        if (errors.count() > limits.maxStoredErrors() && !options.forceImport()) {
            return; // enough to refuse the file; finding every refused row would not change the outcome
        }
        long mid = lo + (hi - lo) / 2;
        upsert(c, s, lo, mid, refused, indexed);
        upsert(c, s, mid + 1, hi, refused, indexed);
    }

    /** A refusal of the data (class 22: data exception, 23: integrity constraint), not a failure of the database. */
    private static boolean isRefusal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private void refusedByDatabase(Connection c, long row, PSQLException e) throws SQLException {
        ServerErrorMessage m = e.getServerErrorMessage();
        String column = m == null ? null : m.getColumn();
        String detail = m == null ? null : m.getDetail();
        if (column == null && detail != null) {
            Matcher k = KEY_DETAIL.matcher(detail);
            if (k.find()) {
                column = k.group(1);
            }
        }
        if (column == null && m != null && m.getConstraint() != null) {
            column = constraintColumn(c, m.getConstraint());
        }
        String header = column == null ? null : resource.column(column).map(ResourceColumn::header).orElse(column);
        String message = "refused by the database: " + (m == null ? e.getMessage() : m.getMessage())
                + (detail == null ? "" : " (" + detail + ")");
        Map<String, String> values = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + ImportRun.TEMP + " WHERE row_no = ?")) {
            s.setLong(1, row);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    for (int i = 2; i <= r.getMetaData().getColumnCount(); i++) {
                        String name = r.getMetaData().getColumnName(i);
                        values.put(resource.column(name).map(ResourceColumn::header).orElse(name), r.getString(i));
                    }
                }
            }
        }
        errors.addByColumn(row, values, List.of(RowErrors.error(header, header == null ? null : values.get(header), message)));
    }

    /** The one column a constraint of the table is on, if it is on one. */
    private String constraintColumn(Connection c, String constraint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT a.attname FROM pg_constraint k JOIN pg_attribute a"
                + " ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) WHERE k.conname = ?"
                + " AND k.conrelid = ?::regclass")) {
            s.setString(1, constraint);
            s.setString(2, resource.table());
            try (ResultSet r = s.executeQuery()) {
                String found = r.next() ? r.getString(1) : null;
                return r.next() ? null : found;
            }
        }
    }

    private long[] counts(Connection c, String sql, List<Long> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (rows != null) {
                s.setArray(1, c.createArrayOf("bigint", rows.toArray()));
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
            }
        }
    }

    /** Columns as compared for "unchanged": json has no equality, so as text. */
    private static String compared(String alias, List<ResourceColumn> columns) {
        return columns.stream().map(col -> alias + "." + col.sql() + (col.type() == ColumnType.JSON ? "::text" : ""))
                .collect(Collectors.joining(", "));
    }
}
