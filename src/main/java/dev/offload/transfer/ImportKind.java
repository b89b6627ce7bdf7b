package dev.offload.transfer;

import static dev.offload.transfer.ImportState.CANCELLED;
import static dev.offload.transfer.ImportState.CREATED;
import static dev.offload.transfer.ImportState.IMPORTED;
import static dev.offload.transfer.ImportState.IMPORTING;
import static dev.offload.transfer.ImportState.IMPORT_CONFIRMED;
import static dev.offload.transfer.ImportState.IMPORT_ERROR;
import static dev.offload.transfer.ImportState.INPUT_ERROR;
import static dev.offload.transfer.ImportState.PARSED;
import static dev.offload.transfer.ImportState.PARSE_ERROR;
import static dev.offload.transfer.ImportState.PARSING;

import dev.offload.job.Job;
import dev.offload.job.JobCancelledException;
import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.job.JobView;
import dev.offload.job.RequestAttributes;
import dev.offload.storage.StoredFile;
import dev.offload.transfer.formats.TableInput;
import dev.offload.workflow.TransitionHook;
import dev.offload.workflow.Workflow;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Imports a file into a resource in two phases: the parse (a dry run over every row: counts and row errors,
 * nothing kept) and, once a client confirms, the import (all or nothing). States and transitions as
 * django-import-export-extensions, plus cancelling a parsed import.
 */
@ApplicationScoped
public class ImportKind implements JobKind<ImportRow> {

    public static final String NAME = "import";
    public static final String CONFIRM = "confirm";
    /** parsing → input_error: the file was read, and rows or headers were refused. */
    static final String REJECT = "reject";
    /** parsing → imported: {@code skip_parse_step}, the rows were written by the parse itself. */
    static final String IMPORT_AT_ONCE = "import_at_once";

    static final Phase PARSE = new Phase(CREATED.value(), "parse", PARSING.value(), "finish_parse", "fail_parse",
            "retry_parse");
    static final Phase IMPORT = new Phase(IMPORT_CONFIRMED.value(), "import", IMPORTING.value(), "finish_import",
            "fail_import", "retry_import");

    static final Workflow WORKFLOW = Workflow.builder(NAME, Job.TABLE)
            .states(CREATED.value(), PARSING.value(), PARSED.value(), INPUT_ERROR.value(), PARSE_ERROR.value(),
                    IMPORT_CONFIRMED.value(), IMPORTING.value(), IMPORTED.value(), IMPORT_ERROR.value(),
                    CANCELLED.value())
            .initial(CREATED.value())
            .transition("parse", PARSING.value(), CREATED.value())
            .transition("finish_parse", PARSED.value(), PARSING.value())
            .transition(REJECT, INPUT_ERROR.value(), PARSING.value())
            .transition("fail_parse", PARSE_ERROR.value(), PARSING.value())
            .transition("retry_parse", CREATED.value(), PARSING.value())
            .transition(IMPORT_AT_ONCE, IMPORTED.value(), PARSING.value())
            .transition(CONFIRM, IMPORT_CONFIRMED.value(), PARSED.value())
            .transition("import", IMPORTING.value(), IMPORT_CONFIRMED.value())
            .transition("finish_import", IMPORTED.value(), IMPORTING.value())
            .transition("fail_import", IMPORT_ERROR.value(), IMPORTING.value())
            .transition("retry_import", IMPORT_CONFIRMED.value(), IMPORTING.value())
            .transition(CANCEL, CANCELLED.value(), CREATED.value(), PARSING.value(), PARSED.value(),
                    IMPORT_CONFIRMED.value(), IMPORTING.value())
            .check(CANCEL, "the rows are already committed", (JobView<ImportRow> job) -> job.row() == null
                    || !job.row().committed())
            // The times the parse and the import ended, in the transaction of the transition that says so.
            .onEnter(PARSED.value(), stamp("parsed_at"))
            .onEnter(INPUT_ERROR.value(), stamp("parsed_at"))
            .onEnter(IMPORTED.value(), stamp("imported_at"))
            .logAttributes(RequestAttributes.CLIENT_ADDRESS, RequestAttributes.CLIENT_ID)
            .build();

    /** A hook writing the transition's time into {@code column} of the import's row. */
    private static TransitionHook stamp(String column) {
        String sql = "UPDATE transfer_import_job SET " + column + " = $2 WHERE job_id = $1";
        return t -> t.connection().preparedQuery(sql).execute(Tuple.of(t.subjectId(), t.at())).replaceWithVoid();
    }

    private static final Declaration<ImportRow> DECLARATION = new Declaration<>(NAME, "transfer_import_job",
            ImportRow.class, WORKFLOW, List.of(PARSE, IMPORT));

    private final Resources resources;
    private final TransferConfig config;
    private final ImportErrors errors;

    public ImportKind(Resources resources, TransferConfig config, ImportErrors errors) {
        this.resources = resources;
        this.config = config;
        this.errors = errors;
    }

    @Override
    public Declaration<ImportRow> declaration() {
        return DECLARATION;
    }

    @Override
    public Set<String> clientTransitions() {
        return Set.of(CONFIRM, CANCEL);
    }

    @Override
    public void run(Phase phase, JobContext<ImportRow> job) throws Exception {
        ImportRow row = job.row();
        boolean importing = phase.equals(IMPORT);
        if (importing && row.committed()) {
            return; // an attempt that committed and was lost before it could say so
        }
        TransferResource resource = resources.find(row.resource())
                .orElseThrow(() -> new IllegalStateException("the resource " + row.resource() + " is no longer configured"));
        boolean commit = importing || row.skipParseStep();
        StoredFile file = job.input(row.fileId());
        TransferFormat format = TransferFormat.of(row.format()).orElseThrow();
        String running = phase.running();
        ImportRun.Outcome outcome;
        try (InputStream in = job.open(file); TableInput input = Inputs.open(format, in, resource, row, config.transfer())) {
            outcome = new ImportRun(resource, row, config.transfer(), job).run(input, commit,
                    c -> {
                        if (resource.source().own()) {
                            markCommitted(c, job, running);
                        }
                    });
        } catch (TableInput.InputProblem p) {
            outcome = ImportRun.fileProblem(row.header(), p.column(), p.getMessage());
        }
        boolean committed = commit && outcome.problem() == null && (outcome.errors() == 0 || row.forceImport());
        if (committed && !resource.source().own()) {
            try (Connection c = resources.own().connect()) {
                c.setAutoCommit(false);
                markCommitted(c, job, running);
                c.commit();
            }
        }
        errors.replace(job.jobId(), outcome.stored());
        job.saveRow(row.with(outcome, committed));
        if (!importing) {
            if (outcome.problem() != null || (outcome.errors() > 0 && !row.forceImport())) {
                job.endBy(REJECT);
            } else if (row.skipParseStep()) {
                job.endBy(IMPORT_AT_ONCE);
            }
        } else if (!committed) {
            throw new ImportRefusedException(outcome.problem() != null ? outcome.problem()
                    : outcome.errors() + " row(s) refused; nothing was imported");
        }
    }

    /**
     * In the import's own transaction: the job must still be this attempt's, in its running state (a cancel
     * waits for this lock, then finds the import committed and is refused); marks the rows committed.
     */
    private static void markCommitted(Connection c, JobContext<ImportRow> job, String running) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state, attempt FROM " + Job.TABLE
                + " WHERE id = ? FOR UPDATE")) {
            s.setObject(1, job.jobId());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !running.equals(r.getString(1)) || r.getInt(2) != job.attempt()) {
                    c.rollback();
                    throw new JobCancelledException(job.jobId());
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE transfer_import_job SET committed = true WHERE job_id = ?")) {
            s.setObject(1, job.jobId());
            s.executeUpdate();
        }
    }

    /** An import that wrote nothing because rows were refused. */
    static final class ImportRefusedException extends Exception {
        ImportRefusedException(String message) {
            super(message);
        }
    }
}
