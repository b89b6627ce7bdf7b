package dev.offload.linecount;

import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.storage.FileSink;
import dev.offload.storage.StoredFile;
import dev.offload.workflow.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Counts the lines of a stored file: the example of docs/adding-a-kind.md, compiled and run by the tests. */
@ApplicationScoped
public class LineCountKind implements JobKind<LineCountKind.Row> {

    public static final String NAME = "line-count";
    static final Workflow WORKFLOW = JobKind.singlePhase(NAME, "created", "counting", "counted", "failed", "cancelled")
            .build();
    private static final Phase PHASE = Phase.single("created", "counting");

    /** The kind's row: a column of table {@code line_count_job} per component. */
    public record Row(UUID fileId, Long lines) {
    }

    private static final Declaration<Row> DECLARATION = new Declaration<>(NAME, "line_count_job", Row.class, WORKFLOW, List.of(PHASE));

    @Override
    public Declaration<Row> declaration() {
        return DECLARATION;
    }

    @Override
    public void run(Phase phase, JobContext<Row> job) throws Exception {
        StoredFile input = job.input(job.row().fileId());
        long lines = 0;
        long done = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = job.open(input)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                done += n;
                job.progress(done, input.size());
                job.checkCancelled();
            }
        }
        FileSink result = job.createResult("text/plain", "lines.txt");
        result.write((lines + "\n").getBytes(StandardCharsets.UTF_8));
        job.saveRow(new Row(input.id(), lines));
    }
}
