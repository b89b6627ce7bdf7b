package dev.offload.job;

import dev.offload.config.OffloadConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the engine's batchers with the configured sizes, each recording its batch sizes as {@code offload.batch.size}. */
@ApplicationScoped
public class Batchers {

    private final OffloadConfig config;
    private final MeterRegistry meters;

    public Batchers(OffloadConfig config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
    }

    /** A batcher for {@code statement} ("submit", "claim", "finish") of job kind {@code kind}. */
    public <I, O> Batcher<I, O> create(String statement, String kind, Batcher.Flush<I, O> flush) {
        DistributionSummary sizes = DistributionSummary.builder("offload.batch.size")
                .description("items written by one statement of the engine")
                .tag("statement", statement).tag("kind", kind)
                .register(meters);
        return new Batcher<>(config.batching().maxBatch(), config.batching().maxInFlight(), flush, sizes::record);
    }
}
