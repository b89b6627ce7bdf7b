package dev.offload.workflow;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One applied transition, written in the same transaction as the state change it records: what moved the
 * subject, from where to where, when, who, with the transition's extra details and the request attributes
 * its workflow keeps.
 */
public record TransitionLog(long id, UUID subjectId, String transition, String fromState, String toState,
        OffsetDateTime at, String actor, Map<String, Object> extra, Map<String, Object> attributes) {
}
