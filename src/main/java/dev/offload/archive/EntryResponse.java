package dev.offload.archive;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/** A file of an archive: its path and size; for an extraction, the stored file it became. */
public record EntryResponse(String path, long size, @Schema(nullable = true) UUID fileId) {
}
