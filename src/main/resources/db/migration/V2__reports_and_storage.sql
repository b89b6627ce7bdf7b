-- Storage: results and uploads in PostgreSQL, in fixed-size chunks, so every pod reads what any pod wrote.
-- A file is readable only once complete; cleanup deletes it (and its chunks) once it has expired.
CREATE TABLE stored_file (
    id           uuid PRIMARY KEY,
    owner        varchar(255) NOT NULL,
    content_type varchar(255) NOT NULL,
    size         bigint       NOT NULL DEFAULT 0,
    sha256       char(64),
    chunks       integer      NOT NULL DEFAULT 0,
    complete     boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL
);
CREATE INDEX stored_file_expires_idx ON stored_file (expires_at);

CREATE TABLE stored_file_chunk (
    file_id uuid    NOT NULL REFERENCES stored_file (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    bytes   bytea   NOT NULL,
    PRIMARY KEY (file_id, seq)
);
-- Out of line and uncompressed: results are mostly compressed already (xlsx, zip, gz), and
-- compressing text in the database would cost its CPU on every write for little gain.
ALTER TABLE stored_file_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- A job that produces a file records it as its result, so any kind can read another's output
-- through the engine. An expired (deleted) result leaves the job without one.
ALTER TABLE job ADD COLUMN result_file_id uuid REFERENCES stored_file (id) ON DELETE SET NULL;
CREATE INDEX job_result_file_idx ON job (result_file_id) WHERE result_file_id IS NOT NULL;

-- Reports: the generator and its options; what it wrote is the job's result.
CREATE TABLE report (
    job_id             uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    generator_type     varchar(64)  NOT NULL,
    generator_options  jsonb        NOT NULL,
    owner_is_admin     boolean      NOT NULL,
    output_filename    varchar(255),
    content_type       varchar(255),
    size               bigint,
    expires_at         timestamptz
);
