package dev.offload.report;

import dev.offload.job.JobRunner;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes the report queue; the engine claims and runs each job. */
@ApplicationScoped
public class ReportWorker {

    public static final String CHANNEL = ReportKind.NAME;

    private final JobRunner runner;

    public ReportWorker(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Blocking(value = CHANNEL, ordered = false)
    public void consume(JsonObject message) throws InterruptedException {
        runner.handle(message);
    }
}
