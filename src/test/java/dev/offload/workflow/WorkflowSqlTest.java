package dev.offload.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workflow's statements as text, built without a database. */
class WorkflowSqlTest {

    private static final Map<String, String> TYPES = Map.of("id", "uuid", "state", "character varying(32)",
            "lease_owner", "character varying(128)", "attempt", "integer", "finished_at", "timestamp with time zone",
            "extra", "jsonb");

    @Test
    void shouldCompareAndSetOnTheStateAndGuardsAndLogInTheSameStatement() {
        String sql = WorkflowSql.apply("job", StateUpdate.set("finishedAt", null).and("leaseOwner", null)
                .when("attempt", 2).when("leaseOwner", null), TYPES);
        assertTrue(sql.contains("UPDATE job t SET state = i.to_state, finished_at = (i.s->>'finished_at')::timestamp"
                + " with time zone, lease_owner = (i.s->>'lease_owner')::character varying(128)"), sql);
        assertTrue(sql.contains("WHERE t.id = i.id AND t.state = i.from_state AND t.attempt = (i.g->>'attempt')::integer"
                + " AND t.lease_owner IS NULL"), sql);
        assertTrue(sql.contains("INSERT INTO transition_log " + WorkflowSql.LOG_COLUMNS), sql);
        assertTrue(sql.contains("coalesce((e->>'at')::timestamptz, $3) AS at"), "a change's own time, else the statement's");
        assertTrue(sql.endsWith("RETURNING subject_id, transition, from_state, to_state, at"), sql);
    }

    @Test
    void shouldAddOneForAnIncrementAndReadJsonColumnsAsJson() {
        String sql = WorkflowSql.apply("job", StateUpdate.none().increment("attempt").and("extra", Map.of()), TYPES);
        assertTrue(sql.contains("attempt = t.attempt + 1"), sql);
        assertTrue(sql.contains("extra = NULLIF(i.s->'extra', 'null')"), sql);
    }

    @Test
    void shouldRefuseAnAttributeTheTableLacks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkflowSql.apply("job", StateUpdate.set("nickname", "x"), TYPES));
        assertEquals("no column nickname", e.getMessage());
    }

    @Test
    void shouldAdvanceByStateLoggingAndReturningTheNamedColumnsAndTheJoinedRow() {
        String sql = WorkflowSql.advance("job", StateUpdate.set("leaseOwner", "w").increment("attempt"),
                List.of("attempt"), List.of("attempt", "leaseOwner"), new WorkflowService.Joined("canary_job", "job_id"),
                TYPES);
        assertTrue(sql.contains("WHERE t.id = ANY($1) AND t.state = m.from_state"), sql);
        assertTrue(sql.contains("RETURNING t.id, m.from_state, m.to_state, m.transition, t.attempt, t.lease_owner)"), sql);
        assertTrue(sql.contains("jsonb_build_object('attempt', attempt)"), sql);
        assertTrue(sql.endsWith("to_jsonb(j) AS joined FROM moved LEFT JOIN canary_job j ON j.job_id = moved.id"), sql);
        assertTrue(WorkflowSql.advance("job", StateUpdate.none(), List.of(), List.of(), null, TYPES)
                .endsWith("NULL::jsonb AS joined FROM moved"));
    }

    @Test
    void shouldLogCreationFromTheCreatingStatementsRows() {
        Workflow w = Workflow.builder("it's", "job").states("new").initial("new").build();
        assertEquals("INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor,"
                + " attributes) SELECT id, 'it''s', 'create', NULL, 'new', at, actor, attributes FROM input",
                WorkflowSql.logCreated(w, "input"));
    }

    @Test
    void shouldNameAColumnForEachAttribute() {
        assertEquals("lease_expires_at", WorkflowSql.column("leaseExpiresAt"));
        assertEquals("state", WorkflowSql.column("state"));
    }
}
