package dev.offload.canary;

import dev.offload.job.JobRunner;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes the canary queue; the engine claims and runs each job. */
@ApplicationScoped
public class CanaryWorker {

    public static final String CHANNEL = CanaryKind.NAME;

    private final JobRunner runner;

    public CanaryWorker(JobRunner runner) {
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
