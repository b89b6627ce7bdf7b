-- The engine's table: what every job kind shares. Each kind keeps its own fields in its own table.
CREATE TABLE job (
    id               uuid PRIMARY KEY,
    kind             varchar(32)  NOT NULL,
    owner            varchar(255) NOT NULL,
    state            varchar(32)  NOT NULL,
    attempt          integer      NOT NULL DEFAULT 0,
    max_attempts     integer      NOT NULL,
    lease_owner      varchar(128),
    lease_expires_at timestamptz,
    published        boolean      NOT NULL DEFAULT false,
    progress_done    bigint       NOT NULL DEFAULT 0,
    progress_total   bigint,
    error_message    text,
    error_type       varchar(255),
    error_trace      text,
    created_at       timestamptz  NOT NULL,
    queued_at        timestamptz  NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);

-- Listing: the caller's own jobs, newest first; admins list everyone's.
CREATE INDEX job_owner_created_idx ON job (owner, created_at DESC);
CREATE INDEX job_created_idx ON job (created_at DESC);
-- The reaper looks only at leased (running) jobs, the relay only at unpublished ones:
-- partial indexes keep both lookups independent of how many finished jobs the table holds.
CREATE INDEX job_lease_idx ON job (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX job_unpublished_idx ON job (queued_at) WHERE NOT published;

-- The workflow component's audit log: one row per applied transition, of any workflow.
CREATE TABLE transition_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id  uuid         NOT NULL,
    workflow    varchar(32)  NOT NULL,
    transition  varchar(64)  NOT NULL,
    from_state  varchar(32),
    to_state    varchar(32)  NOT NULL,
    at          timestamptz  NOT NULL,
    actor       varchar(255) NOT NULL,
    extra       jsonb
);
CREATE INDEX transition_log_subject_idx ON transition_log (subject_id, id);
CREATE INDEX transition_log_at_idx ON transition_log (at);

-- State and progress changes are announced on commit, so status streams and cancelling
-- work across processes: any pod may LISTEN, whichever pod wrote the change.
CREATE FUNCTION job_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('offload_job_events', json_build_object(
        'id', NEW.id, 'kind', NEW.kind, 'state', NEW.state, 'attempt', NEW.attempt,
        'done', NEW.progress_done, 'total', NEW.progress_total)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER job_events AFTER UPDATE ON job FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.progress_done IS DISTINCT FROM NEW.progress_done)
    EXECUTE FUNCTION job_notify();

-- The first kind: a job that sleeps, reports progress and fails on request.
CREATE TABLE canary_job (
    job_id         uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    sleep_ms       integer NOT NULL,
    fail           boolean NOT NULL,
    progress_steps integer NOT NULL
);
