package dev.offload.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Statements on a kind's own table, built from its declaration (names from the code, values as parameters). */
final class KindSql {

    private static final Map<String, String> SAVE = new ConcurrentHashMap<>();

    private KindSql() {
    }

    /** Writes every column of the kind's row type from the JSON {@code $1}, for the job {@code $2}. */
    static String saveRow(JobKind<?> kind) {
        return SAVE.computeIfAbsent(kind.name(), k -> {
            Class<?> type = kind.rowType();
            if (!type.isRecord()) {
                throw new IllegalStateException("the row type of kind " + kind.name() + " must be a record");
            }
            String columns = Arrays.stream(type.getRecordComponents())
                    .map(c -> column(c.getName())).filter(c -> !c.equals("job_id")).collect(Collectors.joining(", "));
            return "UPDATE " + kind.table() + " SET (" + columns + ") = (SELECT " + columns
                    + " FROM jsonb_populate_record(NULL::" + kind.table() + ", $1::jsonb)) WHERE job_id = $2";
        });
    }

    /** {@code sleepMs} → {@code sleep_ms}. */
    static String column(String component) {
        return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
