package dev.offload.bench;

import java.util.List;

/**
 * {@code offload.batching.max-in-flight} 1 (the default) against 3, interleaved (1, 3, 1, 3). With one
 * statement of a kind in flight, a job that arrives while that statement is slow waits for it; with three
 * it goes out at once on another connection, but batches are smaller under load.
 */
public class EngineInFlightScenario extends SettingScenario {

    @Override
    public String name() {
        return "engine-in-flight";
    }

    @Override
    public String description() {
        return "group commit with 1 or 3 statements of a kind in flight: completed jobs/s, latency at 200 jobs/s";
    }

    @Override
    String property() {
        return "offload.batching.max-in-flight";
    }

    @Override
    List<String> settings() {
        return List.of("1", "3", "1", "3");
    }

    @Override
    String label(String setting) {
        return "in_flight_" + setting;
    }

    @Override
    public List<Ratio> ratios() {
        return ratios("3 in flight / 1", "3", "1");
    }
}
