package dev.offload.transfer;

import java.util.UUID;

/**
 * An import of an uploaded file ({@code POST /api/v1/files}) into a resource. The format is inferred from the
 * file's name when left out; {@code delimiter} is CSV's (a comma by default); {@code sheet} names the xlsx sheet
 * (the first by default).
 */
public record ImportRequest(UUID fileId, String resource, String format, String delimiter, String sheet,
        Boolean forceImport, Boolean skipUnchanged, Boolean skipParseStep) {
}
