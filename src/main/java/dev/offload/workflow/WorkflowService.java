package dev.offload.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The only writer of state attributes. Applies a transition with compare-and-set on the current state
 * and logs it in the same transaction, so a state never changes without its log row.
 */
@ApplicationScoped
public class WorkflowService {

    private static final Logger LOG = Logger.getLogger(WorkflowService.class);

    private final Pool pool;
    private final Map<String, Map<String, String>> columnTypes = new ConcurrentHashMap<>();
    /** Statement texts by what they depend on (table, update shape, ...): built once, not per batch. */
    private final Map<String, String> statements = new ConcurrentHashMap<>();
    /** The columns every statement that writes log rows fills. */
    private static final String LOG_COLUMNS = "(subject_id, workflow, transition, from_state, to_state, at, actor, extra)";

    public WorkflowService(dev.offload.job.EngineDb db) {
        this.pool = db.pool();
    }

    /** The first log row of a subject created in {@code workflow.initial()}; call inside the creating transaction. */
    public Uni<Void> logCreated(Workflow workflow, UUID subjectId, String actor, Map<String, Object> extra) {
        return log(workflow, subjectId, "create", null, workflow.initial(), actor, extra);
    }

    /**
     * Applies {@code transitionName} to the subject currently in {@code currentState}.
     * Fails with {@link IllegalTransitionException} when the transition is not available from that state,
     * or when another writer changed the subject first (its state, or a guard of {@code update}, no longer holds).
     *
     * @return the new state
     */
    public Uni<String> apply(Workflow workflow, UUID subjectId, String currentState, String transitionName,
            String actor, Map<String, Object> extra, StateUpdate update) {
        return Uni.createFrom().item(() -> workflow.target(currentState, transitionName))
                .chain(target -> update(workflow, subjectId, currentState, transitionName, target, update))
                .call(target -> log(workflow, subjectId, transitionName, currentState, target, actor, extra));
    }

    private Uni<String> update(Workflow workflow, UUID subjectId, String currentState, String transitionName,
            String target, StateUpdate update) {
        StringBuilder hql = new StringBuilder("update ").append(workflow.entity()).append(" set state = :to");
        update.assignments().keySet().forEach(a -> hql.append(", ").append(a).append(" = :set_").append(a));
        hql.append(" where id = :id and state = :from");
        update.guards().forEach((a, v) -> hql.append(" and ").append(a).append(v == null ? " is null" : " = :is_" + a));
        String statement = hql.toString();
        return Panache.getSession().chain(session -> {
            var query = session.createMutationQuery(statement)
                    .setParameter("to", target)
                    .setParameter("id", subjectId)
                    .setParameter("from", currentState);
            update.assignments().forEach((a, v) -> query.setParameter("set_" + a, v));
            update.guards().forEach((a, v) -> {
                if (v != null) {
                    query.setParameter("is_" + a, v);
                }
            });
            return query.executeUpdate();
        }).chain(rows -> rows == 1
                ? Uni.createFrom().item(target)
                : conflict(workflow, subjectId, transitionName, currentState));
    }

    /**
     * As {@link #apply}, but as one statement in a transaction of its own, outside any session: the
     * compare-and-set and its log row commit together in a single round trip.
     */
    public Uni<String> applyNow(Workflow workflow, UUID subjectId, String currentState, String transitionName,
            String actor, Map<String, Object> extra, StateUpdate update) {
        return applyAll(workflow, List.of(new Change(subjectId, currentState, transitionName, actor, extra, update)))
                .chain(states -> states.get(0) != null
                        ? Uni.createFrom().item(states.get(0))
                        : pool.preparedQuery("SELECT state FROM " + workflow.table() + " WHERE id = $1")
                                .execute(Tuple.of(subjectId))
                                .map(found -> {
                                    String state = found.iterator().hasNext() ? found.iterator().next().getString(0)
                                            : currentState;
                                    throw new IllegalTransitionException(workflow.name(), transitionName, state,
                                            workflow.available(state));
                                }));
    }

    /** One transition of one subject, for {@link #applyAll}. */
    public record Change(UUID subjectId, String currentState, String transition, String actor, Map<String, Object> extra,
            StateUpdate update) {
    }

    /**
     * Applies many transitions of one workflow, each a compare-and-set with its own log row, in as few
     * statements as their shapes allow (one per set of assigned and guarded attributes), each statement
     * its own transaction. Unavailable transitions fail the whole call with {@link IllegalTransitionException}
     * before anything is written.
     *
     * @return per change, in order, the new state; {@code null} where the subject had moved on (or was
     *         named by an earlier change of the same call)
     */
    public Uni<List<String>> applyAll(Workflow workflow, List<Change> changes) {
        String[] targets = new String[changes.size()];
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            targets[i] = workflow.target(change.currentState(), change.transition());
            shapes.computeIfAbsent(change.update().shape(), k -> new ArrayList<>()).add(i);
        }
        String[] states = new String[changes.size()];
        return Multi.createFrom().iterable(shapes.values())
                .onItem().transformToUniAndConcatenate(indexes -> applyShape(workflow, changes, targets, indexes)
                        .invoke(moved -> {
                            Set<UUID> seen = new HashSet<>();
                            for (int i : indexes) {
                                UUID id = changes.get(i).subjectId();
                                states[i] = moved.contains(id) && seen.add(id) ? targets[i] : null;
                            }
                        }))
                .collect().last()
                .map(ignored -> Arrays.asList(states));
    }

    /** One statement for changes of one shape: the subjects it moved. */
    private Uni<Set<UUID>> applyShape(Workflow workflow, List<Change> changes, String[] targets, List<Integer> indexes) {
        StateUpdate shape = changes.get(indexes.get(0)).update();
        JsonArray input = new JsonArray();
        for (int i : indexes) {
            Change change = changes.get(i);
            JsonObject row = new JsonObject().put("id", change.subjectId().toString())
                    .put("from", change.currentState()).put("to", targets[i]).put("transition", change.transition())
                    .put("actor", change.actor()).put("set", assigned(change.update())).put("is", guarded(change.update()));
            if (change.extra() != null && !change.extra().isEmpty()) {
                row.put("extra", json(change.extra()));
            }
            input.add(row);
        }
        String table = workflow.table();
        return columnTypes(table).chain(types -> pool.preparedQuery(statements.computeIfAbsent(
                        "applyAll|" + table + "|" + shape.shape(), key -> applySql(table, shape, types)))
                .execute(Tuple.of(input, workflow.name(), OffsetDateTime.now(ZoneOffset.UTC)))).map(rows -> {
            Set<UUID> moved = new HashSet<>();
            rows.forEach(row -> moved.add(row.getUUID(0)));
            return moved;
        });
    }

    /** A table whose row, keyed by the subject's id in its column {@code key}, comes back with each moved subject. */
    public record Joined(String table, String key) {
    }

    /**
     * Moves each subject on by the transition that {@code byState} names for the state it is in now: a
     * compare-and-set on that state with the update, and its log row, for all subjects in one statement
     * (a transaction of its own). Subjects in none of those states, gone, or failing a guard are left
     * alone; a subject named twice moves once. Every transition is checked against the workflow before
     * anything is written.
     *
     * @param logged   attributes whose new values each log row records in its extra
     * @param returned attributes whose new values come back with each moved subject
     * @param joined   a table whose row comes back with each moved subject as JSON, or null
     * @return one row per moved subject: {@code id}, {@code from_state}, {@code to_state}, the returned
     *         attributes' columns, and {@code joined} (the joined row as JSON; null without one, or without a row)
     */
    public Uni<RowSet<Row>> advanceAll(Workflow workflow, Collection<UUID> ids, Map<String, String> byState,
            String actor, StateUpdate update, List<String> logged, List<String> returned, Joined joined) {
        JsonArray moves;
        try {
            moves = new JsonArray();
            for (Map.Entry<String, String> move : byState.entrySet()) {
                moves.add(new JsonObject().put("from", move.getKey()).put("to", workflow.target(move.getKey(), move.getValue()))
                        .put("transition", move.getValue()));
            }
        } catch (IllegalTransitionException e) {
            return Uni.createFrom().failure(e);
        }
        String table = workflow.table();
        String key = String.join("|", "advanceAll", table, update.shape(), String.valueOf(logged), String.valueOf(returned),
                String.valueOf(joined));
        return columnTypes(table).chain(types -> pool.preparedQuery(statements.computeIfAbsent(key,
                        k -> advanceSql(table, update, logged, returned, joined, types)))
                .execute(Tuple.from(List.of(ids.toArray(UUID[]::new), moves, assigned(update), guarded(update),
                        workflow.name(), OffsetDateTime.now(ZoneOffset.UTC), actor))));
    }

    /** The statement of {@link #applyAll} for changes of one shape. */
    private static String applySql(String table, StateUpdate shape, Map<String, String> types) {
        StringBuilder sql = new StringBuilder("WITH input AS (SELECT (e->>'id')::uuid AS id, e->>'from' AS from_state,")
                .append(" e->>'to' AS to_state, e->>'transition' AS transition, e->>'actor' AS actor,")
                .append(" e->'extra' AS extra, e->'set' AS s, e->'is' AS g FROM jsonb_array_elements($1::jsonb) e),");
        moved(sql, table, shape, types, "i", "input i", "t.id = i.id");
        sql.append(", i.actor, i.extra) INSERT INTO transition_log ").append(LOG_COLUMNS)
                .append(" SELECT id, $2, transition, from_state, to_state, $3, actor, extra FROM moved RETURNING subject_id");
        return sql.toString();
    }

    /**
     * {@code moved AS (UPDATE table t SET state = <moves>.to_state, …assignments FROM <from> WHERE <where> AND
     * t.state = <moves>.from_state AND …guards RETURNING t.id, <moves>.from_state, <moves>.to_state,
     * <moves>.transition}, left open for more returned columns; the update's values come from {@code i.s}
     * and {@code i.g}.
     */
    private static void moved(StringBuilder sql, String table, StateUpdate update, Map<String, String> types,
            String moves, String from, String where) {
        sql.append(" moved AS (UPDATE ").append(table).append(" t SET state = ").append(moves).append(".to_state");
        assignments(sql, update, "i.s", types);
        sql.append(" FROM ").append(from).append(" WHERE ").append(where)
                .append(" AND t.state = ").append(moves).append(".from_state");
        guards(sql, update, "i.g", types);
        sql.append(" RETURNING t.id, ").append(moves).append(".from_state, ").append(moves).append(".to_state, ")
                .append(moves).append(".transition");
    }

    /** The statement of {@link #advanceAll}. */
    private static String advanceSql(String table, StateUpdate update, List<String> logged, List<String> returned,
            Joined joined, Map<String, String> types) {
        StringBuilder sql = new StringBuilder("WITH m AS (SELECT e->>'from' AS from_state, e->>'to' AS to_state,")
                .append(" e->>'transition' AS transition FROM jsonb_array_elements($2::jsonb) e),")
                .append(" i AS (SELECT $3::jsonb AS s, $4::jsonb AS g),");
        moved(sql, table, update, types, "m", "m, i", "t.id = ANY($1)");
        Set<String> columns = new java.util.LinkedHashSet<>();
        logged.forEach(attribute -> columns.add(column(attribute)));
        returned.forEach(attribute -> columns.add(column(attribute)));
        columns.forEach(column -> sql.append(", t.").append(column));
        sql.append("), logged AS (INSERT INTO transition_log ").append(LOG_COLUMNS)
                .append(" SELECT id, $5, transition, from_state, to_state, $6, $7, ");
        if (logged.isEmpty()) {
            sql.append("NULL");
        } else {
            sql.append("jsonb_build_object(").append(logged.stream()
                    .map(a -> literal(a) + ", " + column(a)).collect(java.util.stream.Collectors.joining(", ")))
                    .append(")");
        }
        sql.append(" FROM moved) SELECT moved.*, ");
        if (joined == null) {
            sql.append("NULL::jsonb AS joined FROM moved");
        } else {
            sql.append("to_jsonb(j) AS joined FROM moved LEFT JOIN ").append(joined.table())
                    .append(" j ON j.").append(joined.key()).append(" = moved.id");
        }
        return sql.toString();
    }

    /** The update's constant assignments as JSON, by column. */
    private static JsonObject assigned(StateUpdate update) {
        JsonObject set = new JsonObject();
        update.assignments().forEach((attribute, value) -> {
            if (!StateUpdate.isIncrement(value)) {
                set.put(column(attribute), json(value));
            }
        });
        return set;
    }

    /** The update's non-null guards as JSON, by column. */
    private static JsonObject guarded(StateUpdate update) {
        JsonObject is = new JsonObject();
        update.guards().forEach((attribute, value) -> {
            if (value != null) {
                is.put(column(attribute), json(value));
            }
        });
        return is;
    }

    /** {@code , column = value} for each assignment: from the JSON {@code source}, or the column plus one. */
    private static void assignments(StringBuilder sql, StateUpdate update, String source, Map<String, String> types) {
        update.assignments().forEach((attribute, value) -> {
            String column = column(attribute);
            sql.append(", ").append(column).append(" = ")
                    .append(StateUpdate.isIncrement(value) ? "t." + column + " + 1" : typed(source, column, types));
        });
    }

    /** {@code AND t.column = value} (or {@code IS NULL}) for each guard, values from the JSON {@code source}. */
    private static void guards(StringBuilder sql, StateUpdate update, String source, Map<String, String> types) {
        update.guards().forEach((attribute, value) -> {
            String column = column(attribute);
            sql.append(" AND t.").append(column).append(value == null ? " IS NULL" : " = " + typed(source, column, types));
        });
    }

    /** {@code source}'s JSON field {@code column}, as the column's own type. */
    private static String typed(String source, String column, Map<String, String> types) {
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

    /** A table's column types, read from the catalog once. */
    private Uni<Map<String, String>> columnTypes(String table) {
        Map<String, String> known = columnTypes.get(table);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery("SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped")
                .execute(Tuple.of(table))
                .map(rows -> {
                    Map<String, String> types = new HashMap<>();
                    rows.forEach(row -> types.put(row.getString(0), row.getString(1)));
                    columnTypes.put(table, types);
                    return types;
                });
    }

    /**
     * The first log rows of subjects created by the same statement: an {@code INSERT} reading the columns
     * {@code id}, {@code at} and {@code actor} of the relation {@code source}.
     */
    public static String logCreatedSql(Workflow workflow, String source) {
        return "INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor)"
                + " SELECT id, " + literal(workflow.name()) + ", 'create', NULL, " + literal(workflow.initial())
                + ", at, actor FROM " + source;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A value as PostgreSQL reads it from JSON into a column of its type. */
    public static Object json(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.put(k.toString(), json(v)));
            return object;
        }
        if (value instanceof Collection<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(v -> array.add(json(v)));
            return array;
        }
        return value.toString(); // UUID, OffsetDateTime, Instant: their ISO text
    }

    private static final Map<String, String> COLUMNS = new ConcurrentHashMap<>();

    /** The column of an entity attribute: {@code leaseOwner} → {@code lease_owner}. */
    private static String column(String attribute) {
        return COLUMNS.computeIfAbsent(attribute,
                a -> a.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT));
    }

    /** The subject's log, oldest first. */
    public Uni<List<TransitionLog>> history(UUID subjectId) {
        return TransitionLog.list("subjectId = ?1 order by id", subjectId);
    }

    private Uni<String> conflict(Workflow workflow, UUID subjectId, String transitionName, String expected) {
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery("select state from " + workflow.entity() + " where id = :id", String.class)
                        .setParameter("id", subjectId).getSingleResultOrNull())
                .chain(now -> {
                    String state = now == null ? expected : now;
                    LOG.debugf("%s %s: %s lost a race from %s (now %s)", workflow.name(), subjectId, transitionName, expected, state);
                    return Uni.createFrom().failure(
                            new IllegalTransitionException(workflow.name(), transitionName, state, workflow.available(state)));
                });
    }

    private Uni<Void> log(Workflow workflow, UUID subjectId, String transitionName, String from, String to, String actor,
            Map<String, Object> extra) {
        TransitionLog entry = new TransitionLog();
        entry.subjectId = subjectId;
        entry.workflow = workflow.name();
        entry.transition = transitionName;
        entry.fromState = from;
        entry.toState = to;
        entry.at = OffsetDateTime.now(ZoneOffset.UTC);
        entry.actor = actor;
        entry.extra = extra == null || extra.isEmpty() ? null : extra;
        return entry.persist().replaceWithVoid();
    }
}
