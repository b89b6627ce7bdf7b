package dev.offload.workflow;

import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A transition being applied, as its hooks see it: the subject moved from {@code from} to {@code to}
 * (the compare-and-set and the log row are written), and {@code connection} is the transaction they are in.
 */
public record TransitionContext(String workflow, UUID subjectId, String transition, String from, String to,
        String actor, OffsetDateTime at, Map<String, Object> extra, SqlConnection connection) {
}
