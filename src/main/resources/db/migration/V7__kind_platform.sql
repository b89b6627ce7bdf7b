-- The kind platform (issue: "the engine as a platform for kinds").

-- Request attributes a workflow's log keeps (the client's address, its API client id): only client
-- transitions and submissions carry them; the engine's own transitions leave them NULL.
ALTER TABLE transition_log ADD COLUMN attributes jsonb;

-- No job is stranded: the relay wakes again a job that has waited for a worker longer than
-- offload.relay.stale-after although its wake-up was confirmed (a message dead-lettered, lost with a
-- broker's disk, purged). woken_at is when it last did, so a job is woken at most once per period.
ALTER TABLE job ADD COLUMN woken_at timestamptz;
-- The jobs that may be waiting: not leased, not finished. One entry per queueing (inserted at submit and
-- at each retry or next phase, gone at the claim), so it stays the size of what is in flight.
CREATE INDEX job_waiting_idx ON job (queued_at) WHERE lease_owner IS NULL AND finished_at IS NULL;
