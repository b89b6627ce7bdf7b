package dev.offload.archive;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A file of an archive: its path and size; for an extraction, the stored file it became. */
public record EntryResponse(String path, long size, @Schema(nullable = true) UUID fileId) {
}
