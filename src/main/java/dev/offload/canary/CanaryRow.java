package dev.offload.canary;

/** A canary's own row ({@code canary_job}): how long it sleeps, whether it fails at the end, its progress steps. */
public record CanaryRow(int sleepMs, boolean fail, int progressSteps) {
}
