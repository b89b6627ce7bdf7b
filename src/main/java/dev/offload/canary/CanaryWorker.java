package dev.offload.canary;

import dev.offload.job.JobRunner;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes the canary queue; the engine claims and runs each job. */
@ApplicationScoped
public class CanaryWorker {

    public static final String CHANNEL = CanaryKind.NAME;

    private final JobRunner runner;

    public CanaryWorker(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Blocking(value = CHANNEL, ordered = false)
    public void consume(JsonObject message) throws InterruptedException {
        runner.handle(message);
    }
}
