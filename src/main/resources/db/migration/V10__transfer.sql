-- Import and export (the django-import-export-extensions role). An import's own row: the uploaded file, the
-- resource and options, what the parse and the import counted, and whether its rows were committed (set in the
-- import's own transaction, so a cancel that comes after it is refused and a retried attempt does nothing again).
CREATE TABLE transfer_import_job (
    job_id         uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    resource       varchar(100) NOT NULL,
    format         varchar(8)   NOT NULL,
    file_id        uuid         NOT NULL,
    filename       varchar(255),
    delimiter      varchar(1),
    sheet          varchar(255),
    force_import   boolean      NOT NULL DEFAULT false,
    skip_unchanged boolean      NOT NULL DEFAULT false,
    skip_parse_step boolean     NOT NULL DEFAULT false,
    header         jsonb,
    rows_total     bigint,
    rows_new       bigint,
    rows_update    bigint,
    rows_skip      bigint,
    rows_error     bigint,
    problem        text,
    committed      boolean      NOT NULL DEFAULT false
);

-- The rows a parse or an import refused: the row as given (raw, in the header's order) and why, by column.
-- row_no 0 holds what refuses the whole file (an unknown header, a missing key column).
CREATE TABLE transfer_import_error (
    job_id  uuid   NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    row_no  bigint NOT NULL,
    raw     jsonb,
    errors  jsonb  NOT NULL,
    PRIMARY KEY (job_id, row_no)
);

-- An export's own row; the file is the job's result.
CREATE TABLE transfer_export_job (
    job_id          uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    resource        varchar(100) NOT NULL,
    format          varchar(8)   NOT NULL,
    columns         jsonb        NOT NULL,
    filter          jsonb,
    order_by        jsonb,
    escape_formulas boolean      NOT NULL DEFAULT true,
    rows_exported   bigint
);
