-- The line-count kind of docs/adding-a-kind.md (declared by the tests).
CREATE TABLE line_count_job (
    job_id  uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    file_id uuid   NOT NULL,
    lines   bigint
);
