package dev.offload.stats;

import java.util.Map;

/**
 * This service's own statistics, nested the way gather-stats flattens them
 * ({@code jobs.by_kind.canary.by_state.running}, {@code queue_depth.by_kind.canary}).
 */
public record ServiceStatsResponse(Jobs jobs, QueueDepth queueDepth) {

    /** Jobs of every kind, and per kind by state (every declared state, zero included). */
    public record Jobs(long total, Map<String, Kind> byKind) {
    }

    public record Kind(long total, Map<String, Long> byState) {
    }

    /** Jobs waiting for a worker (in a state a phase waits in), in all and per kind. */
    public record QueueDepth(long total, Map<String, Long> byKind) {
    }
}
