-- Wake-ups the broker has not confirmed yet, one row per job, in a table of their own instead of a
-- "published" flag on the job row. Marking a confirmed job was an UPDATE of the big job table (a new
-- row version in every index, and the plan kept for it read the whole "not published" index for each
-- batch, so at saturation marking fell ever further behind). Now it deletes rows of a table that only
-- holds what is in flight, by key.
--
-- A row is (job, queued_at): the publish it waits for is the one of that queueing. A late confirm of an
-- earlier wake-up (the job was queued again since) matches no row and removes nothing.
-- No foreign key: checking it would lock every new job row; jobs are never deleted.
CREATE TABLE job_unconfirmed (
    job_id    uuid        PRIMARY KEY,
    queued_at timestamptz NOT NULL
);
-- The relay takes the oldest first.
CREATE INDEX job_unconfirmed_queued_idx ON job_unconfirmed (queued_at);

INSERT INTO job_unconfirmed (job_id, queued_at) SELECT id, queued_at FROM job WHERE NOT published;
DROP INDEX job_unpublished_idx;
ALTER TABLE job DROP COLUMN published;

-- Submitting writes the row in its own statement. Every other queueing (a reaper's retry, a worker
-- handing a job back, a phase finished into the next phase's waiting state) sets queued_at on the job
-- row, whichever statement does it; this trigger adds the wake-up row in the same transaction. The
-- claim and the finish into a final state do not set queued_at, so they do not run it.
CREATE FUNCTION job_queued() RETURNS trigger AS $$
BEGIN
    INSERT INTO job_unconfirmed (job_id, queued_at) VALUES (NEW.id, NEW.queued_at)
    ON CONFLICT (job_id) DO UPDATE SET queued_at = EXCLUDED.queued_at;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER job_queued AFTER UPDATE OF queued_at ON job
    FOR EACH ROW WHEN (NEW.queued_at IS DISTINCT FROM OLD.queued_at) EXECUTE FUNCTION job_queued();
