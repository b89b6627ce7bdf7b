package dev.offload.report.generators;

import dev.offload.job.JobKind;
import dev.offload.job.JobKinds;
import dev.offload.report.ExcelReportGenerator;
import dev.offload.report.ReportContext;
import dev.offload.report.ReportOption;
import dev.offload.report.ReportOptions;
import dev.offload.report.SqlRows;
import dev.offload.tabular.Column;
import dev.offload.tabular.Sheet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jobs-summary} (xlsx): one sheet per job kind, one row per state of its workflow and a total —
 * jobs, attempts, median and 95th-percentile run time — over jobs created in the date range; the caller's
 * own, everyone's for admins. The database aggregates; the workbook holds a few rows per kind.
 */
@ApplicationScoped
public class JobsSummaryReport extends ExcelReportGenerator {

    public static final String TYPE = "jobs-summary";
    public static final String TOTAL = "all states";
    static final List<Column> COLUMNS = List.of(Column.text("state", 14), Column.integer("jobs", 10),
            Column.integer("attempts", 10), Column.decimal("median run time (s)", 20),
            Column.decimal("p95 run time (s)", 18));

    private final SqlRows rows;
    private final JobKinds kinds;

    public JobsSummaryReport(SqlRows rows, JobKinds kinds) {
        this.rows = rows;
        this.kinds = kinds;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "per job kind, per state: jobs, attempts, median and p95 run time, over a date range";
    }

    @Override
    public String filenamePrefix() {
        return TYPE;
    }

    @Override
    public List<ReportOption> options() {
        return List.of(DateRange.FROM, DateRange.TO);
    }

    @Override
    public void validate(ReportOptions options) {
        DateRange.validate(options);
    }

    /** One aggregated line: a kind's state, or its total (state null). */
    private record Line(long jobs, long attempts, Double median, Double p95) {
    }

    @Override
    protected List<Sheet> sheets(ReportContext context) throws Exception {
        DateRange range = DateRange.of(context.options());
        Tuple arguments = context.ownerIsAdmin() ? Tuple.of(range.from(), range.to())
                : Tuple.of(range.from(), range.to(), context.owner());
        String runTime = "extract(epoch FROM finished_at - started_at)";
        String sql = "SELECT kind, state, count(*), sum(attempt), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY " + runTime + "), "
                + "percentile_cont(0.95) WITHIN GROUP (ORDER BY " + runTime + ") "
                + "FROM job WHERE created_at >= $1 AND created_at < $2"
                + (context.ownerIsAdmin() ? "" : " AND owner = $3")
                + " GROUP BY GROUPING SETS ((kind, state), (kind))";
        Map<String, Map<String, Line>> byKind = new HashMap<>();
        rows.forEach(sql, arguments, row -> byKind.computeIfAbsent(row.getString(0), k -> new HashMap<>())
                .put(row.getString(1) == null ? TOTAL : row.getString(1),
                        new Line(row.getLong(2), row.getLong(3), row.getDouble(4), row.getDouble(5))));
        List<Sheet> sheets = new ArrayList<>();
        for (JobKind kind : kinds.all()) {
            Map<String, Line> lines = byKind.getOrDefault(kind.name(), Map.of());
            List<String> states = new ArrayList<>(kind.workflow().states());
            states.add(TOTAL);
            sheets.add(new Sheet(kind.name(), COLUMNS, states.size(), sink -> {
                for (String state : states) {
                    Line line = lines.getOrDefault(state, new Line(0, 0, null, null));
                    sink.row(state, line.jobs(), line.attempts(), line.median(), line.p95());
                }
            }));
        }
        return sheets;
    }
}
