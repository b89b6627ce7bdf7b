package dev.offload.job;

/**
 * A job and its kind's row, as the engine read them together: what the kind's checks see, and what a kind's
 * resource answers from.
 */
public record JobView<R>(Job job, R row) {
}
