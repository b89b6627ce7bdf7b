package dev.offload.report;

import dev.offload.job.JobRunner;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes the report queue; the engine claims and runs each job. */
@ApplicationScoped
public class ReportWorker {

    public static final String CHANNEL = ReportKind.NAME;

    private final JobRunner runner;

    public ReportWorker(JobRunner runner) {
        this.runner = runner;
    }

    /** Returns at once: the engine acknowledges the message once the claim is decided. */
    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> consume(Message<JsonObject> message) {
        runner.take(message);
        return CompletableFuture.completedFuture(null);
    }
}
