package dev.offload.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The only writer of state attributes. Applies a transition with compare-and-set on the current state
 * and logs it in the same transaction, so a state never changes without its log row.
 */
@ApplicationScoped
public class WorkflowService {

    private static final Logger LOG = Logger.getLogger(WorkflowService.class);

    private final Pool pool;

    public WorkflowService(Pool pool) {
        this.pool = pool;
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
     * compare-and-set and its log row commit together in a single round trip. For hot paths that need
     * nothing else in the transaction (a worker's claim and finish).
     */
    public Uni<String> applyNow(Workflow workflow, UUID subjectId, String currentState, String transitionName,
            String actor, Map<String, Object> extra, StateUpdate update) {
        return Uni.createFrom().item(() -> workflow.target(currentState, transitionName))
                .chain(target -> updateAndLog(workflow, subjectId, currentState, transitionName, target, actor, extra,
                        update));
    }

    private Uni<String> updateAndLog(Workflow workflow, UUID subjectId, String currentState, String transitionName,
            String target, String actor, Map<String, Object> extra, StateUpdate update) {
        List<Object> params = new ArrayList<>(List.of(target, subjectId, currentState));
        StringBuilder sql = new StringBuilder("WITH moved AS (UPDATE ").append(workflow.table()).append(" SET state = $1");
        update.assignments().forEach((attribute, value) -> {
            params.add(value);
            sql.append(", ").append(column(attribute)).append(" = $").append(params.size());
        });
        sql.append(" WHERE id = $2 AND state = $3");
        update.guards().forEach((attribute, value) -> {
            if (value == null) {
                sql.append(" AND ").append(column(attribute)).append(" IS NULL");
            } else {
                params.add(value);
                sql.append(" AND ").append(column(attribute)).append(" = $").append(params.size());
            }
        });
        params.add(workflow.name());
        int wf = params.size();
        params.add(transitionName);
        int tr = params.size();
        params.add(OffsetDateTime.now(ZoneOffset.UTC));
        int at = params.size();
        params.add(actor);
        int ac = params.size();
        params.add(extra == null || extra.isEmpty() ? null : new JsonObject(extra));
        int ex = params.size();
        sql.append(" RETURNING id) INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor, extra)")
                .append(" SELECT id, $").append(wf).append(", $").append(tr).append(", $3, $1, $").append(at)
                .append(", $").append(ac).append(", $").append(ex).append("::jsonb FROM moved");
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).chain(rows -> {
            if (rows.rowCount() == 1) {
                return Uni.createFrom().item(target);
            }
            return pool.preparedQuery("SELECT state FROM " + workflow.table() + " WHERE id = $1")
                    .execute(Tuple.of(subjectId))
                    .map(found -> {
                        String state = found.iterator().hasNext() ? found.iterator().next().getString(0) : currentState;
                        throw new IllegalTransitionException(workflow.name(), transitionName, state,
                                workflow.available(state));
                    });
        });
    }

    private static String column(String attribute) {
        return attribute.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
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
