package dev.offload.archive;

import java.util.List;
import java.util.UUID;

/**
 * An archive to make: its name (the download is {@code <name>.<extension>}), its backend, the role the caller
 * makes it in (one of their groups; the first configured one they have when left out), and its entries.
 */
public record ArchiveRequest(String name, String backend, String role, List<EntryRequest> entries) {

    /**
     * One entry: its path in the archive and its source, one of an uploaded file, a report, an export, or any
     * job's result.
     */
    public record EntryRequest(String path, UUID fileId, UUID reportId, UUID exportId, UUID jobId) {
    }
}
