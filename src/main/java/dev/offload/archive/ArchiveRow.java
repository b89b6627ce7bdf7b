package dev.offload.archive;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An archive's own row ({@code archive_job}), devilry's CompressedArchiveMeta: its name, backend, the role it was
 * created in, its entries (each a path and the stored file it is made of), how far the compression got, and
 * when it was marked deleted and purged. Creator, creation time, storage reference, size and checksum are the
 * job's and its result file's.
 */
public record ArchiveRow(String name, String backend, String createdByRole, List<Entry> entries, int entryCount,
        long totalBytes, int entriesDone, OffsetDateTime deletedAt, OffsetDateTime purgedAt) {

    /** One entry: its path in the archive and the stored file it holds (a report's result, an upload). */
    public record Entry(String path, UUID fileId, long size) {
    }

    ArchiveRow withEntriesDone(int done) {
        return new ArchiveRow(name, backend, createdByRole, entries, entryCount, totalBytes, done, deletedAt, purgedAt);
    }
}
