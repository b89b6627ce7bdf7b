package dev.offload.report;

/** What a generator writes for given options: the file's extension and content type. */
public record ReportOutput(String extension, String contentType) {
}
