package dev.offload.report;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A report to generate: the generator's type and its options (a JSON object; absent means none). */
public record ReportRequest(
        @NotBlank @Size(max = 64) String generatorType,
        @Schema(description = "The generator's options; each generator's are in GET /api/v1/reports/generators")
        JsonNode generatorOptions) {
}
