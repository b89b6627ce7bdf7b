package dev.offload.job;

import java.util.UUID;

/** A job's state or progress changed (announced by the database on commit). */
public record JobEvent(UUID id, String kind, String state, int attempt, long done, Long total) {
}
