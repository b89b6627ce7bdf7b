package dev.offload.workflow;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
        String target;
        try {
            target = workflow.target(currentState, transitionName);
        } catch (IllegalTransitionException e) {
            return Uni.createFrom().failure(e);
        }
        StringBuilder hql = new StringBuilder("update ").append(workflow.entity()).append(" set state = :to");
        update.assignments().keySet().forEach(a -> hql.append(", ").append(a).append(" = :set_").append(a));
        update.expressions().forEach((a, expr) -> hql.append(", ").append(a).append(" = ").append(expr));
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
        }).chain(rows -> {
            if (rows == 1) {
                return log(workflow, subjectId, transitionName, currentState, target, actor, extra).replaceWith(target);
            }
            return conflict(workflow, subjectId, transitionName, currentState);
        });
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
