package dev.offload.job;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Histogram buckets for the engine's two timers, so dashboards and alerts can take percentiles over every pod
 * ({@code histogram_quantile} on {@code offload_jobs_queue_wait_seconds_bucket}): from 5 ms to an hour.
 */
public class JobMeters {

    static final String QUEUE_WAIT = "offload.jobs.queue.wait";
    static final String RUN_DURATION = "offload.jobs.run.duration";
    private static final double[] BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
            300, 600, 1800, 3600};

    @Produces
    @Singleton
    MeterFilter buckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(QUEUE_WAIT) && !id.getName().equals(RUN_DURATION)) {
                    return config;
                }
                double[] nanos = java.util.Arrays.stream(BUCKETS_SECONDS)
                        .map(s -> Duration.ofNanos((long) (s * 1e9)).toNanos()).toArray();
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
