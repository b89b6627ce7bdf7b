package dev.offload.archive;

import java.util.UUID;

/** A file of an archive: its path and size; for an extraction, the stored file it became. */
public record EntryResponse(String path, long size, UUID fileId) {
}
