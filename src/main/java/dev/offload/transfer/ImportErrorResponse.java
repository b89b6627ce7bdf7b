package dev.offload.transfer;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One refused value of an import: its row (1 = the first row after the header; 0 = the file as a whole), column,
 * value and why. A problem of the whole row or file has no column or no value.
 */
public record ImportErrorResponse(long row, @Schema(nullable = true) String column,
        @Schema(nullable = true) String value, String message) {
}
