package dev.offload.canary;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A canary job: how long it sleeps, whether it fails at the end, how many progress steps it reports. */
public record CanaryRequest(
        @Min(0) @Max(3_600_000) Integer sleepMs,
        Boolean fail,
        @Min(0) @Max(10_000) Integer progressSteps) {

    /** The canary's row, with the defaults for what the request left out. */
    CanaryRow row() {
        return new CanaryRow(sleepMs == null ? 0 : sleepMs, fail != null && fail, progressSteps == null ? 0 : progressSteps);
    }
}
