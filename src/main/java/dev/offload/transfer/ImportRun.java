package dev.offload.transfer;

import dev.offload.job.JobContext;
import dev.offload.transfer.formats.Cell;
import dev.offload.transfer.formats.TableInput;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One pass over an uploaded file, as a dry run (the parse) or for real (the import): reader → checks → writer.
 * Every value is checked in Java by the input rules ({@link Values}); the valid rows stream by COPY into a
 * temporary table; duplicate keys, the new/update/skip counts and the upsert are then set-based statements.
 * What the database itself refuses (unique, foreign key, check) is found by running the upsert; when it fails,
 * halves of the rows are tried under savepoints until the refused rows are found one by one. A dry run rolls
 * everything back; an import commits only if nothing was refused (or {@code force_import} skips those rows),
 * in one transaction that also marks the import committed. A resource's {@link RowHooks} see each checked row
 * before it is copied, and the written rows before the end.
 */
final class ImportRun {

    private static final Pattern KEY_DETAIL = Pattern.compile("Key \\((.+?)\\)=");
    private static final String TEMP = "offload_import";
    private static final int COPY_FLUSH = 128 * 1024;
    private static final int PROGRESS_EVERY = 5_000;
    private static final String TEMP_BUFFERS = "256MB";

    /** What a pass found. {@code problem} refuses the whole file; {@code errors} counts refused rows. */
    record Outcome(List<String> header, long total, long created, long updated, long skipped, long errors,
            String problem, List<RowError> stored) {
    }

    /** A refused row: as given (in the header's order) and why, by column. */
    record RowError(long row, List<String> raw, List<Map<String, String>> errors) {
    }

    private final TransferResource resource;
    private final ImportRow options;
    private final TransferConfig.Transfer limits;
    private final JobContext<ImportRow> job;
    private final List<RowError> stored = new ArrayList<>();
    private long errorRows;
    private long hookSkipped;
    private List<String> fileHeader = List.of();

    ImportRun(TransferResource resource, ImportRow options, TransferConfig.Transfer limits, JobContext<ImportRow> job) {
        this.resource = resource;
        this.options = options;
        this.limits = limits;
        this.job = job;
    }

    /**
     * Reads the whole file and checks every row.
     *
     * @param commit false for a dry run (nothing kept); true to write the rows
     * @param commitPoint run in the import's transaction just before it commits (on the resource's connection)
     */
    Outcome run(TableInput input, boolean commit, CommitPoint commitPoint) throws IOException, SQLException {
        List<String> header = input.header();
        fileHeader = header;
        List<Map<String, String>> problems = new ArrayList<>();
        ResourceColumn[] byPosition = new ResourceColumn[header.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            var column = resource.byHeader(name);
            if (column.isEmpty()) {
                problems.add(error(name, null, name.isBlank() ? "an empty header is not a column of " + resource.name()
                        : "is not a column of " + resource.name() + " (its headers: " + headers() + ")"));
            } else if (!seen.add(column.get().name())) {
                problems.add(error(name, null, "is given twice"));
            } else {
                byPosition[i] = column.get();
            }
        }
        List<ResourceColumn> assigned = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < byPosition.length; i++) {
            if (byPosition[i] != null && !byPosition[i].readOnly()) {
                assigned.add(byPosition[i]);
                positions.add(i);
            }
        }
        int copied = assigned.size();
        for (ResourceColumn column : resource.columns()) {
            if (seen.contains(column.name())) {
                continue;
            }
            if (column.key()) {
                problems.add(error(column.header(), null, "is a key column and missing from the header"));
            } else if (column.readOnly() || column.hasDefault()) {
                continue; // left to its default on insert, untouched on update
            } else if (column.notNull()) {
                problems.add(error(column.header(), null, "is required (NOT NULL without a default) and missing from the header"));
            } else {
                assigned.add(column); // a missing nullable column is NULL
            }
        }
        if (!problems.isEmpty()) {
            return refused(header, problems);
        }
        try (Connection c = resource.source().connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL TimeZone = 'UTC'");
                // The rows of a file stay in memory, not on disk (before the session's first temporary table).
                s.execute("SET temp_buffers = '" + TEMP_BUFFERS + "'");
                s.execute("SET LOCAL work_mem = '64MB'"); // the counts' join hashes the table's keys
                s.execute("CREATE TEMP TABLE " + TEMP + " (row_no bigint, " + assigned.stream()
                        .map(col -> col.sql() + " " + col.sqlType()).collect(Collectors.joining(", ")) + ") ON COMMIT DROP");
            }
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + TEMP + " (row_no"
                    + assigned.subList(0, copied).stream().map(col -> ", " + col.sql()).collect(Collectors.joining())
                    + ") FROM STDIN");
            long rows = 0;
            String tooMany = null;
            RowHooks.ImportHook hook = resource.hooks().map(RowHooks::startImport).orElse(null);
            HookedImportRow hooked = hook == null ? null : new HookedImportRow(assigned, copied, resource.zone());
            try {
                CopyText out = new CopyText();
                String[] converted = new String[copied];
                long expected = options.rowsTotal() == null ? 0 : options.rowsTotal();
                while (true) {
                    Object[] values;
                    try {
                        values = input.next();
                    } catch (TableInput.RowProblem p) {
                        rows++;
                        rowError(rows, p.values(), List.of(error(p.column(), null, p.getMessage())));
                        continue;
                    }
                    if (values == null) {
                        break;
                    }
                    rows++;
                    if (rows > limits.maxRows()) {
                        tooMany = "the file has more than " + limits.maxRows() + " rows (offload.transfer.max-rows)";
                        break;
                    }
                    List<Map<String, String>> errors = null;
                    for (int i = 0; i < copied; i++) {
                        ResourceColumn column = assigned.get(i);
                        Object value = values[positions.get(i)];
                        try {
                            converted[i] = Values.convert(column, value, resource.zone());
                        } catch (Values.Refused r) {
                            if (errors == null) {
                                errors = new ArrayList<>();
                            }
                            errors.add(error(column.header(), Cell.text(value), r.getMessage()));
                        }
                    }
                    if (errors == null && hook != null) {
                        errors = hooked.run(hook, rows, converted);
                        if (errors != null && errors.isEmpty()) {
                            hookSkipped++;
                            continue;
                        }
                    }
                    if (errors != null) {
                        rowError(rows, values, errors);
                        continue;
                    }
                    out.number(rows);
                    for (int i = 0; i < copied; i++) {
                        out.tab();
                        out.field(converted[i]);
                    }
                    out.end();
                    if (out.size() >= COPY_FLUSH) {
                        copy.writeToCopy(out.bytes(), 0, out.size());
                        out.clear();
                    }
                    if (rows % PROGRESS_EVERY == 0) {
                        job.progress(rows, expected);
                        job.checkCancelled();
                    }
                }
                if (out.size() > 0) {
                    copy.writeToCopy(out.bytes(), 0, out.size());
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            if (tooMany != null) {
                c.rollback();
                return refused(header, List.of(error(null, null, tooMany)));
            }
            job.progress(rows, rows);
            job.checkCancelled();
            return apply(c, header, assigned, rows, commit, commitPoint, hook);
        }
    }

    /** What runs just before the import commits, in its transaction: the last word on whether it may. */
    @FunctionalInterface
    interface CommitPoint {
        void check(Connection connection) throws SQLException;
    }

    private Outcome apply(Connection c, List<String> header, List<ResourceColumn> assigned, long rows, boolean commit,
            CommitPoint commitPoint, RowHooks.ImportHook hook) throws SQLException {
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
                + " IS NOT NULL AND NOT (" + changed + ")) FROM " + TEMP + " s LEFT JOIN " + resource.table() + " t ON "
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
                + (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM " + TEMP
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
        stored.sort(java.util.Comparator.comparingLong(RowError::row));
        Outcome outcome = new Outcome(header, rows, created, updated, skipped, errorRows, null, List.copyOf(stored));
        if (!commit || (errorRows > 0 && !options.forceImport())) {
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
                ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + TEMP + " GROUP BY " + keyList
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
                        + " min(row_no) OVER (PARTITION BY " + keyList + ") AS first FROM " + TEMP + ") d"
                        + " WHERE d.row_no <> d.first ORDER BY d.row_no")) {
            while (r.next()) {
                long row = r.getLong(1);
                dropped.add(row);
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < assigned.size(); i++) {
                    values.put(assigned.get(i).header(), r.getString(3 + i));
                }
                String keyValue = keys.stream().map(k -> values.get(k.header())).collect(Collectors.joining(", "));
                rowErrorByColumn(row, values, List.of(error(keys.get(0).header(), keyValue,
                        "duplicates the key of row " + r.getLong(2) + " of the file")));
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + TEMP + " WHERE row_no = ANY(?)")) {
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
                st.execute("CREATE INDEX ON " + TEMP + " (row_no)");
                st.execute("ANALYZE " + TEMP);
            }
        }
        if (errorRows > limits.maxStoredErrors() && !options.forceImport()) {
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
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + TEMP + " WHERE row_no = ?")) {
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
        rowErrorByColumn(row, values, List.of(error(header, header == null ? null : values.get(header), message)));
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

    /** The whole file refused for one reason, found outside a pass (by the reader). */
    static Outcome fileProblem(List<String> header, String column, String message) {
        return new Outcome(header, 0, 0, 0, 0, 0, (column == null ? "" : column + ": ") + message,
                List.of(new RowError(0, null, List.of(error(column, null, message)))));
    }

    private Outcome refused(List<String> header, List<Map<String, String>> problems) {
        String summary = problems.stream().map(p -> (p.get("column") == null ? "" : p.get("column") + ": ")
                + p.get("message")).collect(Collectors.joining("; "));
        stored.add(0, new RowError(0, null, problems));
        return new Outcome(header, 0, 0, 0, 0, 0, summary, List.copyOf(stored));
    }

    private void rowError(long row, Object[] values, List<Map<String, String>> errors) {
        errorRows++;
        if (stored.size() < limits.maxStoredErrors()) {
            List<String> raw = new ArrayList<>();
            if (values != null) {
                for (Object v : values) {
                    raw.add(Cell.text(v));
                }
            }
            stored.add(new RowError(row, raw, errors));
        }
    }

    /** A row refused after conversion: its values (by column header) put back in the file's order. */
    private void rowErrorByColumn(long row, Map<String, String> byHeader, List<Map<String, String>> errors) {
        Object[] raw = new Object[fileHeader.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = resource.byHeader(fileHeader.get(i)).map(col -> byHeader.get(col.header())).orElse(null);
        }
        rowError(row, raw, errors);
    }

    static Map<String, String> error(String column, String value, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("column", column);
        error.put("value", value);
        error.put("message", message);
        return error;
    }

    private String headers() {
        return resource.columns().stream().map(ResourceColumn::header).collect(Collectors.joining(", "));
    }
}
