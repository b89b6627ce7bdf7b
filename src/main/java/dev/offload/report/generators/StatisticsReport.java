package dev.offload.report.generators;

import dev.offload.report.ExcelReportGenerator;
import dev.offload.report.ReportContext;
import dev.offload.report.ReportOption;
import dev.offload.report.ReportOptions;
import dev.offload.report.SqlRows;
import dev.offload.tabular.Column;
import dev.offload.tabular.Sheet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code statistics} (admins only): the gathered statistics as a workbook, one sheet per endpoint, a row per
 * fetch and a column per key (the values of that fetch), for a date range and optionally one endpoint.
 */
@ApplicationScoped
public class StatisticsReport extends ExcelReportGenerator {

    public static final String TYPE = "statistics";
    static final ReportOption ENDPOINT = ReportOption.string("endpoint", "only this endpoint; absent: every endpoint");
    /** Columns a sheet holds beside the fetch time (Excel's 16,384 columns). */
    static final int MAX_KEYS = 16_383;

    private final SqlRows rows;

    public StatisticsReport(SqlRows rows) {
        this.rows = rows;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "gathered statistics: a sheet per endpoint, a row per fetch, a column per key (admins only)";
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
    public List<ReportOption> options() {
        return List.of(DateRange.FROM, DateRange.TO, ENDPOINT);
    }

    @Override
    public void validate(ReportOptions options) {
        DateRange.validate(options);
    }

    @Override
    protected List<Sheet> sheets(ReportContext context) throws Exception {
        DateRange range = DateRange.of(context.options());
        String only = context.options().string(ENDPOINT.name()).orElse(null);
        List<String> endpoints = new ArrayList<>();
        rows.forEach("SELECT DISTINCT endpoint FROM statistic_fetch WHERE fetched_at >= $1 AND fetched_at < $2"
                        + (only == null ? "" : " AND endpoint = $3") + " ORDER BY endpoint",
                only == null ? Tuple.of(range.from(), range.to()) : Tuple.of(range.from(), range.to(), only),
                row -> endpoints.add(row.getString(0)));
        List<Sheet> sheets = new ArrayList<>();
        for (String endpoint : endpoints) {
            sheets.add(sheet(endpoint, range));
        }
        if (sheets.isEmpty()) {
            sheets.add(new Sheet("Statistics", List.of(Column.timestamp("fetched at (UTC)")), 0, sink -> {
            }));
        }
        return sheets;
    }

    private Sheet sheet(String endpoint, DateRange range) throws Exception {
        Tuple arguments = Tuple.of(endpoint, range.from(), range.to());
        String where = " FROM statistic WHERE endpoint = $1 AND fetched_at >= $2 AND fetched_at < $3";
        List<String> keys = new ArrayList<>();
        rows.forEach("SELECT DISTINCT key" + where + " ORDER BY key LIMIT " + MAX_KEYS, arguments,
                row -> keys.add(row.getString(0)));
        Map<String, Integer> position = new HashMap<>();
        List<Column> columns = new ArrayList<>();
        columns.add(Column.timestamp("fetched at (UTC)"));
        for (String key : keys) {
            position.put(key, columns.size());
            columns.add(Column.decimal(key, Math.min(40, Math.max(10, key.length()))));
        }
        long fetches = rows.count("SELECT count(*) FROM statistic_fetch WHERE endpoint = $1 AND fetched_at >= $2"
                + " AND fetched_at < $3", arguments);
        return new Sheet(endpoint, columns, fetches, sink -> {
            Object[] current = {null};
            Object[][] values = {new Object[columns.size()]};
            rows.forEach("SELECT fetched_at, key, numeric_value" + where + " ORDER BY fetched_at, key", arguments, row -> {
                OffsetDateTime at = row.getOffsetDateTime(0);
                if (current[0] != null && !current[0].equals(at)) {
                    sink.row(values[0]);
                    values[0] = new Object[columns.size()];
                }
                current[0] = at;
                values[0][0] = at;
                Integer column = position.get(row.getString(1));
                if (column != null) {
                    BigDecimal value = row.getBigDecimal(2);
                    values[0][column] = value;
                }
            });
            if (current[0] != null) {
                sink.row(values[0]);
            }
        });
    }
}
