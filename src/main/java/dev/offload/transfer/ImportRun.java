package dev.offload.transfer;

import dev.offload.job.JobContext;
import dev.offload.transfer.formats.Cell;
import dev.offload.transfer.formats.TableInput;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One pass over an uploaded file, as a dry run (the parse) or for real (the import): reader → checks → writer.
 * Every value is checked in Java by the input rules ({@link Values}); the valid rows stream by COPY into a
 * temporary table; duplicate keys, the new/update/skip counts and the upsert are then set-based statements
 * ({@link ImportUpsert}), which roll back a dry run and commit an import, in one transaction that also marks the
 * import committed. A resource's {@link RowHooks} see each checked row before it is copied, and the written rows
 * before the end. Refused rows are kept by {@link RowErrors}.
 */
final class ImportRun {

    static final String TEMP = "offload_import";
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
    private final RowErrors errors;
    private long hookSkipped;

    ImportRun(TransferResource resource, ImportRow options, TransferConfig.Transfer limits, JobContext<ImportRow> job) {
        this.resource = resource;
        this.options = options;
        this.limits = limits;
        this.job = job;
        this.errors = new RowErrors(resource, limits.maxStoredErrors());
    }

    /**
     * Reads the whole file and checks every row.
     *
     * @param commit false for a dry run (nothing kept); true to write the rows
     * @param commitPoint run in the import's transaction just before it commits (on the resource's connection)
     */
    Outcome run(TableInput input, boolean commit, CommitPoint commitPoint) throws IOException, SQLException {
        List<String> header = input.header();
        errors.header(header);
        List<Map<String, String>> problems = new ArrayList<>();
        ResourceColumn[] byPosition = new ResourceColumn[header.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            var column = resource.byHeader(name);
            if (column.isEmpty()) {
                problems.add(RowErrors.error(name, null, name.isBlank() ? "an empty header is not a column of " + resource.name()
                        : "is not a column of " + resource.name() + " (its headers: " + headers() + ")"));
            } else if (!seen.add(column.get().name())) {
                problems.add(RowErrors.error(name, null, "is given twice"));
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
                problems.add(RowErrors.error(column.header(), null, "is a key column and missing from the header"));
            } else if (column.readOnly() || column.hasDefault()) {
                continue; // left to its default on insert, untouched on update
            } else if (column.notNull()) {
                problems.add(RowErrors.error(column.header(), null, "is required (NOT NULL without a default) and missing from the header"));
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
                        errors.add(rows, p.values(), List.of(RowErrors.error(p.column(), null, p.getMessage())));
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
                            errors.add(RowErrors.error(column.header(), Cell.text(value), r.getMessage()));
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
                        this.errors.add(rows, values, errors);
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
                return refused(header, List.of(RowErrors.error(null, null, tooMany)));
            }
            job.progress(rows, rows);
            job.checkCancelled();
            return new ImportUpsert(resource, options, limits, job, errors)
                    .run(c, header, assigned, rows, hookSkipped, commit, commitPoint, hook);
        }
    }

    /** What runs just before the import commits, in its transaction: the last word on whether it may. */
    @FunctionalInterface
    interface CommitPoint {
        void check(Connection connection) throws SQLException;
    }

    /** The whole file refused for one reason, found outside a pass (by the reader). */
    static Outcome fileProblem(List<String> header, String column, String message) {
        return new Outcome(header, 0, 0, 0, 0, 0, (column == null ? "" : column + ": ") + message,
                List.of(new RowError(0, null, List.of(RowErrors.error(column, null, message)))));
    }

    private Outcome refused(List<String> header, List<Map<String, String>> problems) {
        String summary = problems.stream().map(p -> (p.get("column") == null ? "" : p.get("column") + ": ")
                + p.get("message")).collect(Collectors.joining("; "));
        errors.refuseFile(problems);
        return new Outcome(header, 0, 0, 0, 0, 0, summary, errors.sorted());
    }


    private String headers() {
        return resource.columns().stream().map(ResourceColumn::header).collect(Collectors.joining(", "));
    }
}
