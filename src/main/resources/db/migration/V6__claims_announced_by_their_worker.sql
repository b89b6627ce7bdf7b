-- A claim no longer notifies: most jobs are done before anyone could watch them start, and every
-- notification wakes every listening connection of the database. The worker announces a start itself
-- once the job has run for a while (JobRunner), and each line now ends with the state the job left, so
-- a status stream that never saw the start can show it before the end.
-- Line: "id kind state attempt done total from"; 40 of the longest (189 bytes) fit the 8000-byte payload.
-- Processes built before this read six fields a line and ignore these: replace them all in one rollout.
CREATE OR REPLACE FUNCTION job_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('offload_job_events', chunk.payload)
    FROM (SELECT string_agg(concat_ws(' ', changed.id, changed.kind, changed.state, changed.attempt,
                     changed.progress_done, coalesce(changed.progress_total::text, '-'), changed.from_state),
                     E'\n') AS payload
          FROM (SELECT n.id, n.kind, n.state, n.attempt, n.progress_done, n.progress_total, o.state AS from_state,
                       (row_number() OVER () - 1) / 40 AS chunk
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (o.state IS DISTINCT FROM n.state OR o.progress_done IS DISTINCT FROM n.progress_done)
                  -- a claim: the lease taken by a worker, which announces the start itself
                  AND NOT (o.lease_owner IS NULL AND n.lease_owner IS NOT NULL)) changed
          GROUP BY changed.chunk) chunk;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
