-- Archives (the devilry_compressionutil role): an archive job's own row. The archive itself is the job's
-- result file; its creator is the job's owner and its creation time the job's. Sources are resolved to
-- stored files at submit (a report's result, an upload), kept with their paths in the archive.
CREATE TABLE archive_job (
    job_id          uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    name            varchar(255) NOT NULL,
    backend         varchar(16)  NOT NULL,
    created_by_role varchar(64)  NOT NULL,
    entries         jsonb        NOT NULL,
    entry_count     integer      NOT NULL,
    total_bytes     bigint       NOT NULL,
    entries_done    integer      NOT NULL DEFAULT 0,
    deleted_at      timestamptz,
    purged_at       timestamptz
);
-- cleanup: archives marked deleted and not purged yet.
CREATE INDEX archive_job_deleted_idx ON archive_job (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;

-- Extractions: an uploaded archive unpacked into stored files of its owner.
CREATE TABLE archive_extract_job (
    job_id  uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    file_id uuid        NOT NULL,
    backend varchar(16),
    entries jsonb
);
