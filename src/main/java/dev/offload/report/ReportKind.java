package dev.offload.report;

import static dev.offload.report.ReportState.CANCELLED;
import static dev.offload.report.ReportState.ERROR;
import static dev.offload.report.ReportState.GENERATING;
import static dev.offload.report.ReportState.SUCCESS;
import static dev.offload.report.ReportState.UNPROCESSED;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.db.Timestamps;
import dev.offload.job.JobContext;
import dev.offload.job.JobKind;
import dev.offload.storage.FileSink;
import dev.offload.workflow.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reports: a generator, chosen by type, writes a file into storage; the file becomes the job's result.
 * Anyone may submit; a generator may be for admins only.
 */
@ApplicationScoped
public class ReportKind implements JobKind<ReportRow> {

    public static final String NAME = "report";
    public static final Workflow WORKFLOW = JobKind.singlePhase(NAME, UNPROCESSED.value(), GENERATING.value(),
            SUCCESS.value(), ERROR.value(), CANCELLED.value()).build();

    private static final Phase PHASE = Phase.single(UNPROCESSED.value(), GENERATING.value());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ReportGeneratorRegistry generators;
    private final ReportConfig config;
    private final ObjectMapper json;
    /**
     * Writes progress beside the generators, so a slow database write never holds up a row; one thread, so
     * a report's writes stay in order.
     */
    private final ExecutorService progressWriter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "offload-report-progress");
        thread.setDaemon(true);
        return thread;
    });

    public ReportKind(ReportGeneratorRegistry generators, ReportConfig config, ObjectMapper json) {
        this.generators = generators;
        this.config = config;
        this.json = json;
    }

    /** The download's file name: {@code <prefix>-<yyyyMMdd-HHmmss>.<ext>}, stamped in UTC. */
    static String filename(ReportGenerator generator, ReportOutput output, OffsetDateTime at) {
        return generator.filenamePrefix() + "-" + STAMP.format(at.withOffsetSameInstant(ZoneOffset.UTC)) + "." + output.extension();
    }

    private static final Declaration<ReportRow> DECLARATION = new Declaration<>(NAME, "report", ReportRow.class, WORKFLOW, List.of(PHASE));

    @Override
    public Declaration<ReportRow> declaration() {
        return DECLARATION;
    }

    @Override
    public void run(Phase phase, JobContext<ReportRow> job) throws Exception {
        ReportRow report = job.row();
        ReportGenerator generator = generators.get(report.generatorType());
        ReportOptions options = new ReportOptions(json.valueToTree(report.generatorOptions()) instanceof ObjectNode o ? o : null);
        ReportOutput output = generator.output(options);
        OffsetDateTime now = Timestamps.now();
        String filename = filename(generator, output, now);
        OffsetDateTime expiresAt = now.plus(config.expireAfter());
        FileSink sink = job.createResult(output.contentType(), filename, expiresAt);
        Context context = new Context(job, report.ownerIsAdmin(), options, output, new Progress(job, progressWriter));
        try {
            generator.generate(context, new KeepOpen(sink));
        } finally {
            context.progress.settle();
        }
        job.checkCancelled();
        sink.flush();
        job.saveRow(report.withOutput(filename, output.contentType(), sink.size(), expiresAt));
    }

    /** What a generator sees of the job. */
    private record Context(JobContext<ReportRow> job, boolean ownerIsAdmin, ReportOptions options, ReportOutput output,
            Progress progress) implements ReportContext {

        @Override
        public UUID reportId() {
            return job.jobId();
        }

        @Override
        public String owner() {
            return job.owner();
        }

        @Override
        public void progress(long done, long total) {
            progress.report(done, total);
        }

        @Override
        public void checkCancelled() {
            job.checkCancelled();
        }

        @Override
        public boolean awaitCancelled(java.time.Duration timeout) throws InterruptedException {
            return job.awaitCancelled(timeout);
        }
    }

    /**
     * Progress handed to the engine off the generator's thread: at most one write pending, always of the latest
     * figures, in order; {@link #settle()} waits for the last one, so the job ends with its final progress.
     */
    private static final class Progress {
        private final JobContext<?> job;
        private final ExecutorService writer;
        private final AtomicBoolean pending = new AtomicBoolean();
        private volatile long done;
        private volatile long total;
        private Future<?> last;

        Progress(JobContext<?> job, ExecutorService writer) {
            this.job = job;
            this.writer = writer;
        }

        void report(long done, long total) {
            this.done = done;
            this.total = total;
            if (pending.compareAndSet(false, true)) {
                last = writer.submit(() -> {
                    pending.set(false);
                    job.progress(this.done, this.total);
                });
            }
        }

        void settle() throws InterruptedException {
            Future<?> previous = last;
            if (previous != null) {
                try {
                    previous.get();
                } catch (ExecutionException e) {
                    // a lost progress write is not a failed report
                }
            }
            if (done > 0 || total > 0) {
                job.progress(done, total);
            }
        }
    }

    /** A generator (or a library it calls) closing its stream must not complete the file: the engine does. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
