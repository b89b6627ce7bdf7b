package dev.offload.job;

import dev.offload.workflow.Workflow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * A kind declared by the tests alone, to show what the platform gives a kind that writes only its own work:
 * two phases ({@code created → first → between → second → done}), a client transition that queues a phase
 * again ({@code again}: done → between) with a check, a hook stamping a time on entering {@code done}, a hook
 * that can refuse, and a result file written by the second phase.
 */
@ApplicationScoped
public class TwoPhaseKind implements JobKind<TwoPhaseKind.Row> {

    public static final String NAME = "two-phase";
    /** A note the kind's table refuses (CHECK). */
    public static final String REFUSED = "refused";
    /** A note for which the {@code again} transition's check fails. */
    public static final String FINAL = "final";
    /** A note for which the hook on entering {@code between} by {@code again} fails. */
    public static final String FAIL_AGAIN = "fail-again";
    /** A note for which the first phase fails. */
    public static final String FAIL_FIRST = "fail-first";

    public record Row(String note, OffsetDateTime doneAt) {
    }

    static final Phase FIRST = new Phase("created", "start", "first", "succeed", "fail", "retry");
    static final Phase SECOND = new Phase("between", "start2", "second", "succeed2", "fail2", "retry2");

    static final Workflow WORKFLOW = Workflow.builder(NAME, Job.TABLE)
            .states("created", "first", "between", "second", "done", "error", "cancelled")
            .initial("created")
            .transition("start", "first", "created")
            .transition("succeed", "between", "first")
            .transition("fail", "error", "first")
            .transition("retry", "created", "first")
            .transition("start2", "second", "between")
            .transition("succeed2", "done", "second")
            .transition("fail2", "error", "second")
            .transition("retry2", "between", "second")
            .transition("again", "between", "done")
            .transition(CANCEL, "cancelled", "created", "first", "between", "second")
            .check("again", "the note is final", (JobView<Row> job) -> !job.row().note().startsWith(FINAL))
            .onEnter("done", t -> t.connection()
                    .preparedQuery("UPDATE test_two_phase_job SET done_at = $2 WHERE job_id = $1")
                    .execute(Tuple.of(t.subjectId(), t.at())).replaceWithVoid())
            .after("again", t -> t.connection()
                    .preparedQuery("SELECT note FROM test_two_phase_job WHERE job_id = $1")
                    .execute(Tuple.of(t.subjectId()))
                    .chain(rows -> rows.iterator().next().getString("note").startsWith(FAIL_AGAIN)
                            ? Uni.createFrom().failure(new IllegalStateException("the note says no"))
                            : Uni.createFrom().voidItem()))
            .logAttributes(RequestAttributes.CLIENT_ADDRESS, RequestAttributes.CLIENT_ID)
            .build();

    private static final Declaration<Row> DECLARATION = new Declaration<>(NAME, "test_two_phase_job", Row.class, WORKFLOW, List.of(FIRST, SECOND));

    @Override
    public Declaration<Row> declaration() {
        return DECLARATION;
    }

    @Override
    public Set<String> clientTransitions() {
        return Set.of(CANCEL, "again");
    }

    @Override
    public void run(Phase phase, JobContext<Row> context) throws Exception {
        Row row = context.row();
        if (phase == FIRST || phase.equals(FIRST)) {
            if (FAIL_FIRST.equals(row.note())) {
                throw new IllegalStateException("asked to fail in the first phase");
            }
            context.saveRow(new Row(row.note() + " +first", row.doneAt()));
            return;
        }
        try (var out = context.createResult("text/plain", "note.txt")) {
            out.write(row.note().getBytes(StandardCharsets.UTF_8));
        }
        context.saveRow(new Row(row.note() + " +second", row.doneAt()));
    }
}
