-- Kinds declared by the tests alone (src/test): the platform must run them with nothing else.
CREATE TABLE test_two_phase_job (
    job_id  uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    note    text NOT NULL CHECK (note <> 'refused'),
    done_at timestamptz
);
