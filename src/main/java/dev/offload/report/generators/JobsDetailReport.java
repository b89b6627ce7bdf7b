package dev.offload.report.generators;

import dev.offload.report.ReportContext;
import dev.offload.report.ReportOption;
import dev.offload.report.ReportOptions;
import dev.offload.report.SqlRows;
import dev.offload.report.TabularReportGenerator;
import dev.offload.tabular.Column;
import dev.offload.tabular.Sheet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code jobs-detail}: one row per job created in the date range — the caller's own, everyone's for admins.
 * Rows stream from a database cursor into the file, so a million rows take no more memory than a hundred.
 */
@ApplicationScoped
public class JobsDetailReport extends TabularReportGenerator {

    public static final String TYPE = "jobs-detail";
    static final List<Column> COLUMNS = List.of(
            Column.text("id", 38), Column.text("kind", 12), Column.text("state", 12), Column.text("owner", 28),
            Column.integer("attempts", 9), Column.timestamp("created (UTC)"), Column.timestamp("started (UTC)"),
            Column.timestamp("finished (UTC)"), Column.decimal("run time (s)", 12));
    private static final String COLUMNS_SQL = "id, kind, state, owner, attempt, created_at, started_at, finished_at";

    private final SqlRows rows;

    public JobsDetailReport(SqlRows rows) {
        this.rows = rows;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "one row per job created in the date range: id, kind, state, owner, attempts, times, run time";
    }

    @Override
    public String filenamePrefix() {
        return TYPE;
    }

    @Override
    protected List<ReportOption> tableOptions() {
        return List.of(DateRange.FROM, DateRange.TO);
    }

    @Override
    public void validate(ReportOptions options) {
        DateRange.validate(options);
    }

    @Override
    protected Sheet sheet(ReportContext context) {
        DateRange range = DateRange.of(context.options());
        String where = " FROM job WHERE created_at >= $1 AND created_at < $2"
                + (context.ownerIsAdmin() ? "" : " AND owner = $3");
        Tuple arguments = context.ownerIsAdmin() ? Tuple.of(range.from(), range.to())
                : Tuple.of(range.from(), range.to(), context.owner());
        long total = rows.count("SELECT count(*)" + where, arguments);
        return new Sheet("Jobs", COLUMNS, total, sink -> rows.forEach(
                "SELECT " + COLUMNS_SQL + where + " ORDER BY created_at", arguments, row -> {
                    OffsetDateTime started = row.getOffsetDateTime(6);
                    OffsetDateTime finished = row.getOffsetDateTime(7);
                    sink.row(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3), row.getInteger(4),
                            row.getOffsetDateTime(5), started, finished, RunTime.seconds(started, finished));
                }));
    }
}
