package dev.offload.archive;

import java.util.List;
import java.util.UUID;

/** An extraction's own row ({@code archive_extract_job}): the archive unpacked, its backend, and the files it made. */
public record ExtractRow(UUID fileId, String backend, List<Extracted> entries) {

    /** A file of the archive, stored as a file of the extraction's owner. */
    public record Extracted(String path, long size, UUID fileId) {
    }
}
