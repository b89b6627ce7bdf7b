package dev.offload.workflow;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The statements of the workflow component, built from what they depend on (a table, the shape of an
 * update, the column types): text only, no database, so they are unit-tested as such. Values always come
 * in as parameters or JSON, never in the text; names (tables, columns) come from the code, never from input.
 */
final class WorkflowSql {

    /** The columns every statement that writes log rows fills. */
    static final String LOG_COLUMNS = "(subject_id, workflow, transition, from_state, to_state, at, actor, extra, attributes)";

    private static final Map<String, String> COLUMNS = new ConcurrentHashMap<>();

    private WorkflowSql() {
    }

    /**
     * Compare-and-set of many subjects, each with its own from-state, target and log row. {@code $1} is a JSON
     * array of {@code {id, from, to, transition, actor, extra, attributes, at, set, is}}, {@code $2} the
     * workflow's name, {@code $3} the statement's time (for changes without their own {@code at}). Returns
     * one row per moved subject: {@code subject_id, transition, from_state, to_state, at}.
     */
    static String apply(String table, StateUpdate shape, Map<String, String> types) {
        StringBuilder sql = new StringBuilder("WITH input AS (SELECT (e->>'id')::uuid AS id, e->>'from' AS from_state,")
                .append(" e->>'to' AS to_state, e->>'transition' AS transition, e->>'actor' AS actor,")
                .append(" e->'extra' AS extra, e->'attributes' AS attributes,")
                .append(" coalesce((e->>'at')::timestamptz, $3) AS at,")
                .append(" e->'set' AS s, e->'is' AS g FROM jsonb_array_elements($1::jsonb) e),");
        moved(sql, table, shape, types, "i", "input i", "t.id = i.id");
        sql.append(", i.actor, i.extra, i.attributes, i.at) INSERT INTO transition_log ").append(LOG_COLUMNS)
                .append(" SELECT id, $2, transition, from_state, to_state, at, actor, extra, attributes FROM moved")
                .append(" RETURNING subject_id, transition, from_state, to_state, at");
        return sql.toString();
    }

    /**
     * Moves each subject of {@code $1} (uuid[]) on by the transition that the JSON array {@code $2} of
     * {@code {from, to, transition}} names for its current state, with the update ({@code $3} assignments,
     * {@code $4} guards, as JSON), logging each move ({@code $5} workflow, {@code $6} time, {@code $7} actor).
     * Returns {@code moved.*} (id, from_state, to_state, transition, the logged and returned columns) and
     * {@code joined}: the row of {@code joined} for each moved subject as JSON, or null.
     */
    static String advance(String table, StateUpdate update, java.util.List<String> logged,
            java.util.List<String> returned, WorkflowService.Joined joined, Map<String, String> types) {
        StringBuilder sql = new StringBuilder("WITH m AS (SELECT e->>'from' AS from_state, e->>'to' AS to_state,")
                .append(" e->>'transition' AS transition FROM jsonb_array_elements($2::jsonb) e),")
                .append(" i AS (SELECT $3::jsonb AS s, $4::jsonb AS g),");
        moved(sql, table, update, types, "m", "m, i", "t.id = ANY($1)");
        Set<String> columns = new LinkedHashSet<>();
        logged.forEach(attribute -> columns.add(column(attribute)));
        returned.forEach(attribute -> columns.add(column(attribute)));
        columns.forEach(column -> sql.append(", t.").append(column));
        sql.append("), logged AS (INSERT INTO transition_log ").append(LOG_COLUMNS)
                .append(" SELECT id, $5, transition, from_state, to_state, $6, $7, ");
        if (logged.isEmpty()) {
            sql.append("NULL");
        } else {
            sql.append("jsonb_build_object(").append(logged.stream()
                    .map(a -> literal(a) + ", " + column(a)).collect(Collectors.joining(", ")))
                    .append(")");
        }
        sql.append(", NULL FROM moved) SELECT moved.*, ");
        if (joined == null) {
            sql.append("NULL::jsonb AS joined FROM moved");
        } else {
            sql.append("to_jsonb(j) AS joined FROM moved LEFT JOIN ").append(joined.table())
                    .append(" j ON j.").append(joined.key()).append(" = moved.id");
        }
        return sql.toString();
    }

    /**
     * The first log rows of subjects created by the same statement: an {@code INSERT} reading the columns
     * {@code id}, {@code at}, {@code actor} and {@code attributes} (jsonb) of the relation {@code source}.
     */
    static String logCreated(Workflow workflow, String source) {
        return "INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor, attributes)"
                + " SELECT id, " + literal(workflow.name()) + ", 'create', NULL, " + literal(workflow.initial())
                + ", at, actor, attributes FROM " + source;
    }

    /** The log of one subject, oldest first ({@code $1} its id). */
    static final String HISTORY = "SELECT id, transition, from_state, to_state, at, actor, extra, attributes"
            + " FROM transition_log WHERE subject_id = $1 ORDER BY id";

    /** The newest log row of each subject of {@code $1} (uuid[]), one index probe each. */
    static final String LAST = "SELECT s.subject_id, l.id, l.transition, l.from_state, l.to_state, l.at, l.actor,"
            + " l.extra, l.attributes FROM unnest($1::uuid[]) AS s(subject_id) CROSS JOIN LATERAL"
            + " (SELECT * FROM transition_log t WHERE t.subject_id = s.subject_id ORDER BY t.id DESC LIMIT 1) l";

    /** The current state of a subject of {@code table} ({@code $1} its id). */
    static String state(String table) {
        return "SELECT state FROM " + table + " WHERE id = $1";
    }

    /** A table's column types ({@code $1} the table), as the catalog names them. */
    static final String COLUMN_TYPES = "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped";

    /**
     * {@code moved AS (UPDATE table t SET state = <moves>.to_state, …assignments FROM <from> WHERE <where> AND
     * t.state = <moves>.from_state AND …guards RETURNING t.id, <moves>.from_state, <moves>.to_state,
     * <moves>.transition}, left open for more returned columns; the update's values come from {@code i.s}
     * and {@code i.g}.
     */
    private static void moved(StringBuilder sql, String table, StateUpdate update, Map<String, String> types,
            String moves, String from, String where) {
        sql.append(" moved AS (UPDATE ").append(table).append(" t SET state = ").append(moves).append(".to_state");
        update.assignments().forEach((attribute, value) -> {
            String column = column(attribute);
            sql.append(", ").append(column).append(" = ")
                    .append(StateUpdate.isIncrement(value) ? "t." + column + " + 1" : typed("i.s", column, types));
        });
        sql.append(" FROM ").append(from).append(" WHERE ").append(where)
                .append(" AND t.state = ").append(moves).append(".from_state");
        update.guards().forEach((attribute, value) -> {
            String column = column(attribute);
            sql.append(" AND t.").append(column).append(value == null ? " IS NULL" : " = " + typed("i.g", column, types));
        });
        sql.append(" RETURNING t.id, ").append(moves).append(".from_state, ").append(moves).append(".to_state, ")
                .append(moves).append(".transition");
    }

    /** {@code source}'s JSON field {@code column}, as the column's own type. */
    static String typed(String source, String column, Map<String, String> types) {
        String type = types.get(column);
        if (type == null) {
            throw new IllegalArgumentException("no column " + column);
        }
        return switch (type) {
            case "jsonb" -> "NULLIF(" + source + "->'" + column + "', 'null')";
            case "json" -> "NULLIF(" + source + "->'" + column + "', 'null')::json";
            default -> "(" + source + "->>'" + column + "')::" + type;
        };
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The column of an entity attribute: {@code leaseOwner} → {@code lease_owner}. */
    static String column(String attribute) {
        return COLUMNS.computeIfAbsent(attribute,
                a -> a.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
    }
}
