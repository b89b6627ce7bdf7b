package dev.offload.report.generators;

import dev.offload.job.JobKinds;
import dev.offload.report.InvalidOptionsException;
import dev.offload.report.ReportContext;
import dev.offload.report.ReportOption;
import dev.offload.report.ReportOptions;
import dev.offload.report.SqlRows;
import dev.offload.report.TabularReportGenerator;
import dev.offload.tabular.Column;
import dev.offload.tabular.Sheet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** {@code transition-log} (admins only): the workflow audit log for a date range, optionally of one kind. */
@ApplicationScoped
public class TransitionLogReport extends TabularReportGenerator {

    public static final String TYPE = "transition-log";
    static final ReportOption KIND = ReportOption.string("kind", "only transitions of this job kind; absent: every kind");
    static final List<Column> COLUMNS = List.of(
            Column.integer("id", 10), Column.timestamp("at (UTC)"), Column.text("kind", 12), Column.text("job id", 38),
            Column.text("transition", 12), Column.text("from state", 14), Column.text("to state", 14),
            Column.text("actor", 40), Column.text("extra", 60));

    private final SqlRows rows;
    private final JobKinds kinds;

    public TransitionLogReport(SqlRows rows, JobKinds kinds) {
        this.rows = rows;
        this.kinds = kinds;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the audit log of every state change in the date range, optionally of one kind (admins only)";
    }

    @Override
    public String filenamePrefix() {
        return TYPE;
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    protected List<ReportOption> tableOptions() {
        return List.of(DateRange.FROM, DateRange.TO, KIND);
    }

    @Override
    public void validate(ReportOptions options) {
        DateRange.validate(options);
        options.string(KIND.name()).ifPresent(kind -> {
            if (kinds.find(kind).isEmpty()) {
                throw InvalidOptionsException.of(KIND.name(), "is not a job kind; kinds: "
                        + String.join(", ", kinds.all().stream().map(k -> k.name()).toList()));
            }
        });
    }

    @Override
    protected Sheet sheet(ReportContext context) {
        DateRange range = DateRange.of(context.options());
        String kind = context.options().string(KIND.name()).orElse(null);
        String where = " FROM transition_log WHERE at >= $1 AND at < $2" + (kind == null ? "" : " AND workflow = $3");
        Tuple arguments = kind == null ? Tuple.of(range.from(), range.to()) : Tuple.of(range.from(), range.to(), kind);
        long total = rows.count("SELECT count(*)" + where, arguments);
        return new Sheet("Transitions", COLUMNS, total, sink -> rows.forEach(
                "SELECT id, at, workflow, subject_id, transition, from_state, to_state, actor, extra::text" + where
                        + " ORDER BY at, id", arguments,
                row -> sink.row(row.getLong(0), row.getOffsetDateTime(1), row.getString(2), row.getUUID(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8))));
    }
}
