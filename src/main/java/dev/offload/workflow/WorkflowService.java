package dev.offload.workflow;

import dev.offload.db.EngineDb;
import dev.offload.db.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
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
 * The only writer of state attributes. A transition is one compare-and-set on the subject's current
 * state (and the update's guards) that writes its log row in the same statement, so a state never changes
 * without its log row; a transition with hooks runs them in that statement's transaction. Every write is
 * one of the statements of {@link WorkflowSql}.
 */
@ApplicationScoped
public class WorkflowService {

    private static final Logger LOG = Logger.getLogger(WorkflowService.class);

    private final Pool pool;
    private final Map<String, Map<String, String>> columnTypes = new ConcurrentHashMap<>();
    /** Statement texts by what they depend on (table, update shape, ...): built once, not per batch. */
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    public WorkflowService(EngineDb db) {
        this.pool = db.pool();
    }

    /**
     * One transition of one subject: from {@code currentState} by {@code transition}, with the update, the
     * log row's extra details and request attributes, at {@code at} (null: the statement's time).
     */
    public record Change(UUID subjectId, String currentState, String transition, String actor, Map<String, Object> extra,
            StateUpdate update, Map<String, Object> attributes, OffsetDateTime at) {

        public Change(UUID subjectId, String currentState, String transition, String actor, Map<String, Object> extra,
                StateUpdate update) {
            this(subjectId, currentState, transition, actor, extra, update, Map.of(), null);
        }
    }

    /** A table whose row, keyed by the subject's id in its column {@code key}, comes back with each moved subject. */
    public record Joined(String table, String key) {
    }

    /**
     * Applies one change in a transaction of its own (with the transition's hooks). Fails with
     * {@link IllegalTransitionException} when the transition is not available from the change's state, or
     * when another writer changed the subject first (its state, or a guard of the update, no longer holds);
     * with {@link TransitionHookException} when a hook failed (nothing is written).
     *
     * @return the new state
     */
    public Uni<String> apply(Workflow workflow, Change change) {
        return pool.withTransaction(tx -> apply(tx, workflow, change));
    }

    /** As {@link #apply(Workflow, Change)}, inside the caller's transaction on {@code tx}. */
    public Uni<String> apply(SqlConnection tx, Workflow workflow, Change change) {
        return Uni.createFrom().item(() -> workflow.target(change.currentState(), change.transition()))
                .chain(target -> applyShape(tx, workflow, List.of(change), new String[] {target}, List.of(0)))
                .chain(moved -> moved.isEmpty()
                        ? conflict(tx, workflow, change.subjectId(), change.transition(), change.currentState())
                        : runHooks(tx, workflow, moved.get(0), change).replaceWith(moved.get(0).to()));
    }

    /**
     * Applies many transitions of one workflow, each a compare-and-set with its own log row, in as few
     * statements as their shapes allow (one per set of assigned and guarded attributes), each statement its
     * own transaction; a change whose transition has hooks is applied alone, in a transaction with them.
     * Unavailable transitions fail the whole call with {@link IllegalTransitionException} before anything is
     * written.
     *
     * @return per change, in order, the new state; {@code null} where the subject had moved on (or was named
     *         by an earlier change of the same call), or where a hook failed (rolled back, and logged)
     */
    public Uni<List<String>> applyAll(Workflow workflow, List<Change> changes) {
        String[] targets = new String[changes.size()];
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        List<Integer> hooked = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            targets[i] = workflow.target(change.currentState(), change.transition());
            if (workflow.hasHooks(change.transition())) {
                hooked.add(i);
            } else {
                shapes.computeIfAbsent(change.update().shape(), k -> new ArrayList<>()).add(i);
            }
        }
        String[] states = new String[changes.size()];
        Uni<Void> batched = Multi.createFrom().iterable(shapes.values())
                .onItem().transformToUniAndConcatenate(indexes -> applyShape(pool, workflow, changes, targets, indexes)
                        .invoke(moved -> {
                            Set<UUID> ids = new HashSet<>();
                            moved.forEach(m -> ids.add(m.subjectId()));
                            Set<UUID> seen = new HashSet<>();
                            for (int i : indexes) {
                                UUID id = changes.get(i).subjectId();
                                states[i] = ids.contains(id) && seen.add(id) ? targets[i] : null;
                            }
                        }))
                .collect().last().replaceWithVoid();
        Uni<Void> alone = Multi.createFrom().iterable(hooked)
                .onItem().transformToUniAndConcatenate(i -> pool.withTransaction(tx -> applyShape(tx, workflow, changes,
                                targets, List.of(i)).chain(moved -> moved.isEmpty() ? Uni.createFrom().item((String) null)
                                        : runHooks(tx, workflow, moved.get(0), changes.get(i)).replaceWith(targets[i])))
                        .onFailure(TransitionHookException.class).recoverWithItem(e -> {
                            LOG.warnf("%s %s: %s", workflow.name(), changes.get(i).subjectId(), e.getMessage());
                            return null;
                        })
                        .invoke(state -> states[i] = state))
                .collect().last().replaceWithVoid();
        return batched.chain(() -> alone).map(ignored -> Arrays.asList(states));
    }

    /** A subject a statement moved. */
    private record Moved(UUID subjectId, String transition, String from, String to, OffsetDateTime at) {
    }

    /** One statement for changes of one shape: the subjects it moved. */
    private Uni<List<Moved>> applyShape(SqlClient client, Workflow workflow, List<Change> changes, String[] targets,
            List<Integer> indexes) {
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
            Map<String, Object> attributes = kept(workflow, change.attributes());
            if (!attributes.isEmpty()) {
                row.put("attributes", json(attributes));
            }
            if (change.at() != null) {
                row.put("at", change.at().toString());
            }
            input.add(row);
        }
        String table = workflow.table();
        return columnTypes(table).chain(types -> client.preparedQuery(statements.computeIfAbsent(
                        "apply|" + table + "|" + shape.shape(), key -> WorkflowSql.apply(table, shape, types)))
                .execute(Tuple.of(input, workflow.name(), Timestamps.now()))).map(rows -> {
            List<Moved> moved = new ArrayList<>();
            rows.forEach(row -> moved.add(new Moved(row.getUUID("subject_id"), row.getString("transition"),
                    row.getString("from_state"), row.getString("to_state"), row.getOffsetDateTime("at"))));
            return moved;
        });
    }

    /** The request attributes the workflow keeps, of those given. */
    private static Map<String, Object> kept(Workflow workflow, Map<String, Object> given) {
        if (given == null || given.isEmpty() || workflow.logAttributes().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String name : workflow.logAttributes()) {
            if (given.get(name) != null) {
                kept.put(name, given.get(name));
            }
        }
        return kept;
    }

    /** Runs the hooks of a move in its transaction; a failure fails the transaction with {@link TransitionHookException}. */
    private Uni<Void> runHooks(SqlConnection tx, Workflow workflow, Moved moved, Change change) {
        List<TransitionHook> hooks = workflow.hooks(moved.transition(), moved.from());
        if (hooks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        TransitionContext context = new TransitionContext(workflow.name(), moved.subjectId(), moved.transition(),
                moved.from(), moved.to(), change.actor(), moved.at(),
                change.extra() == null ? Map.of() : change.extra(), tx);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (TransitionHook hook : hooks) {
            chain = chain.chain(() -> Uni.createFrom().deferred(() -> hook.run(context)));
        }
        return chain.onFailure(e -> !(e instanceof TransitionHookException))
                .transform(e -> new TransitionHookException(workflow.name(), moved.transition(), e));
    }

    /**
     * Moves each subject on by the transition that {@code byState} names for the state it is in now: a
     * compare-and-set on that state with the update, and its log row at {@code at}, for all subjects in one
     * statement (a transaction of its own); when those transitions have hooks, each subject alone, in a
     * transaction with them. Subjects in none of those states, gone, or failing a guard are left alone; a
     * subject named twice moves once. Every transition is checked against the workflow before anything is
     * written.
     *
     * @param logged   attributes whose new values each log row records in its extra
     * @param returned attributes whose new values come back with each moved subject
     * @param joined   a table whose row comes back with each moved subject as JSON, or null
     * @return one row per moved subject: {@code id}, {@code from_state}, {@code to_state}, {@code transition},
     *         the returned attributes' columns, and {@code joined} (the joined row as JSON, or null)
     */
    public Uni<List<Row>> advanceAll(Workflow workflow, Collection<UUID> ids, Map<String, String> byState,
            String actor, OffsetDateTime at, StateUpdate update, List<String> logged, List<String> returned,
            Joined joined) {
        JsonArray moves = new JsonArray();
        boolean hooked = false;
        try {
            for (Map.Entry<String, String> move : byState.entrySet()) {
                moves.add(new JsonObject().put("from", move.getKey())
                        .put("to", workflow.target(move.getKey(), move.getValue())).put("transition", move.getValue()));
                hooked |= !workflow.hooks(move.getValue(), move.getKey()).isEmpty();
            }
        } catch (IllegalTransitionException e) {
            return Uni.createFrom().failure(e);
        }
        String table = workflow.table();
        String key = String.join("|", "advance", table, update.shape(), String.valueOf(logged), String.valueOf(returned),
                String.valueOf(joined));
        Uni<Map<String, String>> types = columnTypes(table);
        if (!hooked) {
            return types.chain(t -> pool.preparedQuery(statements.computeIfAbsent(key,
                            k -> WorkflowSql.advance(table, update, logged, returned, joined, t)))
                    .execute(advanceArguments(workflow, ids, moves, update, at, actor)))
                    .map(WorkflowService::list);
        }
        Change change = new Change(null, null, null, actor, Map.of(), update);
        return types.chain(t -> Multi.createFrom().iterable(new java.util.LinkedHashSet<>(ids))
                .onItem().transformToUniAndConcatenate(id -> pool.withTransaction(tx -> tx.preparedQuery(
                                statements.computeIfAbsent(key, k -> WorkflowSql.advance(table, update, logged, returned,
                                        joined, t)))
                        .execute(advanceArguments(workflow, List.of(id), moves, update, at, actor))
                        .chain(rows -> {
                            List<Row> moved = list(rows);
                            Uni<Void> hooks = Uni.createFrom().voidItem();
                            for (Row row : moved) {
                                Moved m = new Moved(row.getUUID("id"), row.getString("transition"),
                                        row.getString("from_state"), row.getString("to_state"), at);
                                hooks = hooks.chain(() -> runHooks(tx, workflow, m, change));
                            }
                            return hooks.replaceWith(moved);
                        }))
                        .onFailure(TransitionHookException.class).recoverWithItem(e -> {
                            LOG.warnf("%s %s: %s", workflow.name(), id, e.getMessage());
                            return List.of();
                        }))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).toList()));
    }

    private static Tuple advanceArguments(Workflow workflow, Collection<UUID> ids, JsonArray moves, StateUpdate update,
            OffsetDateTime at, String actor) {
        return Tuple.from(List.of(ids.toArray(UUID[]::new), moves, assigned(update), guarded(update), workflow.name(),
                at, actor));
    }

    private static List<Row> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Row> list = new ArrayList<>(rows.size());
        rows.forEach(list::add);
        return list;
    }

    /** The update's constant assignments as JSON, by column. */
    private static JsonObject assigned(StateUpdate update) {
        JsonObject set = new JsonObject();
        update.assignments().forEach((attribute, value) -> {
            if (!StateUpdate.isIncrement(value)) {
                set.put(WorkflowSql.column(attribute), json(value));
            }
        });
        return set;
    }

    /** The update's non-null guards as JSON, by column. */
    private static JsonObject guarded(StateUpdate update) {
        JsonObject is = new JsonObject();
        update.guards().forEach((attribute, value) -> {
            if (value != null) {
                is.put(WorkflowSql.column(attribute), json(value));
            }
        });
        return is;
    }

    /** A table's column types, read from the catalog once. */
    private Uni<Map<String, String>> columnTypes(String table) {
        Map<String, String> known = columnTypes.get(table);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery(WorkflowSql.COLUMN_TYPES).execute(Tuple.of(table)).map(rows -> {
            Map<String, String> types = new HashMap<>();
            rows.forEach(row -> types.put(row.getString(0), row.getString(1)));
            columnTypes.put(table, types);
            return types;
        });
    }

    /**
     * The first log rows of subjects created by the same statement: an {@code INSERT} reading the columns
     * {@code id}, {@code at}, {@code actor} and {@code attributes} (jsonb, the request attributes) of the
     * relation {@code source}.
     */
    public static String logCreatedSql(Workflow workflow, String source) {
        return WorkflowSql.logCreated(workflow, source);
    }

    /** The request attributes of {@code given} that {@code workflow}'s log keeps, as JSON (null when none). */
    public static Object keptAttributes(Workflow workflow, Map<String, Object> given) {
        Map<String, Object> kept = kept(workflow, given);
        return kept.isEmpty() ? null : json(kept);
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

    /** The subject's log, oldest first. */
    public Uni<List<TransitionLog>> history(UUID subjectId) {
        return pool.preparedQuery(WorkflowSql.HISTORY).execute(Tuple.of(subjectId)).map(rows -> {
            List<TransitionLog> log = new ArrayList<>(rows.size());
            rows.forEach(row -> log.add(logRow(subjectId, row)));
            return log;
        });
    }

    /** The newest log row of each subject (those with none are absent), without reading whole logs. */
    public Uni<Map<UUID, TransitionLog>> last(Collection<UUID> subjectIds) {
        if (subjectIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(WorkflowSql.LAST).execute(Tuple.of(subjectIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, TransitionLog> last = new HashMap<>();
            rows.forEach(row -> last.put(row.getUUID("subject_id"), logRow(row.getUUID("subject_id"), row)));
            return last;
        });
    }

    private static TransitionLog logRow(UUID subjectId, Row row) {
        JsonObject extra = row.getJsonObject("extra");
        JsonObject attributes = row.getJsonObject("attributes");
        return new TransitionLog(row.getLong("id"), subjectId, row.getString("transition"), row.getString("from_state"),
                row.getString("to_state"), row.getOffsetDateTime("at"), row.getString("actor"),
                extra == null ? null : extra.getMap(), attributes == null ? null : attributes.getMap());
    }

    /** A compare-and-set that moved nothing: the transition lost to another writer; reads the state it lost to. */
    private <T> Uni<T> conflict(SqlClient client, Workflow workflow, UUID subjectId, String transitionName,
            String expected) {
        return client.preparedQuery(WorkflowSql.state(workflow.table())).execute(Tuple.of(subjectId)).map(found -> {
            String state = found.iterator().hasNext() ? found.iterator().next().getString(0) : expected;
            LOG.debugf("%s %s: %s lost a race from %s (now %s)", workflow.name(), subjectId, transitionName, expected,
                    state);
            throw new IllegalTransitionException(workflow.name(), transitionName, state, workflow.available(state));
        });
    }
}
