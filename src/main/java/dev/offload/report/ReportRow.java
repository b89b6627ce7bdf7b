package dev.offload.report;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A report's own row ({@code report}): the generator and its options, whether the owner was an admin at
 * submit (generators scope what they show by it), and what the run produced.
 */
public record ReportRow(String generatorType, Map<String, Object> generatorOptions, boolean ownerIsAdmin,
        String outputFilename, String contentType, Long size, OffsetDateTime expiresAt) {

    static ReportRow submitted(String generatorType, Map<String, Object> options, boolean ownerIsAdmin) {
        return new ReportRow(generatorType, options, ownerIsAdmin, null, null, null, null);
    }

    ReportRow withOutput(String filename, String type, long bytes, OffsetDateTime expires) {
        return new ReportRow(generatorType, generatorOptions, ownerIsAdmin, filename, type, bytes, expires);
    }
}
