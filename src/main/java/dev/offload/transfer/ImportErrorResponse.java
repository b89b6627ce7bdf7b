package dev.offload.transfer;

/** One refused value of an import: its row (1 = the first row after the header; 0 = the file as a whole), column, value and why. */
public record ImportErrorResponse(long row, String column, String value, String message) {
}
