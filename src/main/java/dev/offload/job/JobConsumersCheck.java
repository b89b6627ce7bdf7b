package dev.offload.job;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a process that runs workers: up while it consumes its kinds' queues. An api-only process
 * does not consume, and stays ready while the broker is away (the relay publishes what waited).
 */
@Readiness
@ApplicationScoped
public class JobConsumersCheck implements HealthCheck {

    private final JobConsumers consumers;

    public JobConsumersCheck(JobConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = consumers.problem();
        var response = HealthCheckResponse.named("job consumers").withData("kinds", String.join(",", consumers.consumed()));
        return problem == null ? response.up().build() : response.down().withData("reason", problem).build();
    }
}
