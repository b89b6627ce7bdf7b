package dev.offload.bench;

import java.util.List;

/**
 * Held claims ({@code offload.lease.hold-claim}, 20 ms, the default) against none (0s), interleaved (none,
 * held, none, held, none, held). Held, a canary that ends within the hold commits its claim with its end.
 */
public class EngineHoldClaimScenario extends SettingScenario {

    @Override
    public String name() {
        return "engine-hold-claim";
    }

    @Override
    public String description() {
        return "claims held 20 ms or not at all: completed jobs/s, latency and CPU per job at 200 jobs/s";
    }

    @Override
    String property() {
        return "offload.lease.hold-claim";
    }

    @Override
    List<String> settings() {
        return List.of("0s", "20ms", "0s", "20ms", "0s", "20ms");
    }

    @Override
    String label(String setting) {
        return "0s".equals(setting) ? "not_held" : "held";
    }

    @Override
    public List<Ratio> ratios() {
        return ratios("held / not held", "20ms", "0s");
    }
}
