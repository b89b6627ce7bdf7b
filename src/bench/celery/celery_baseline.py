"""The Celery baseline of bin/bench: a Celery worker with RabbitMQ doing the same durable work per job
as the engine's canary kind (insert the job row; then mark it running; then success; each committed),
measured on this machine in the same run as the engine.

Run by the bench (dev.offload.bench.Baselines.celery) with Debian's python3-celery and python3-psycopg2:

    python3 celery_baseline.py --db DSN --broker AMQP_URL [--saturate S] [--latency S] [--rate N] [--serve]

It starts a Celery worker (prefork, one process per core, Celery's defaults otherwise) on the scenario's
virtual host, then, as a client in this process:
- saturate: 16 threads submit (insert + commit, then apply_async with publisher confirms) as fast as they
  can for S seconds: jobs accepted per second and the p50/p99 of a submission; then jobs completed per
  second end to end (first created_at to last finished_at, as the engine's figure is taken);
- latency: jobs submitted at N per second for S seconds, twice; the second period is measured: from when
  each submission was due to when a listener received the job's success notification (sent in the
  transaction that marks it success), p50/p99 - the engine's "as a client sees it" figure.
Prints one JSON object of figures on the last line of its output.

With --serve (and --latency S), it runs the first period at N per second to warm up, prints its figures,
then keeps the worker up and reads commands on stdin, so the bench can interleave Celery's periods with the
engine's in the same minutes: "period LABEL" runs one measured period at N per second and prints
{"p50_ms": ..., "p99_ms": ..., "jobs": ...}; end of input stops the worker.
"""
import argparse
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid

import psycopg2
from celery import Celery

DB = os.environ.get("CELERY_BASELINE_DB", "")
BROKER = os.environ.get("CELERY_BASELINE_BROKER", "")
CHANNEL = "celery_job_events"
# Owners of this run's jobs end with it, so that rows of an earlier run in the same database are not counted.
RUN = uuid.uuid4().hex[:8]

app = Celery("celery_baseline", broker=BROKER)
app.conf.update(
    broker_transport_options={"confirm_publish": True},
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)

_worker_connection = None


def worker_connection():
    """One database connection per worker process (made after the fork)."""
    global _worker_connection
    if _worker_connection is None:
        _worker_connection = psycopg2.connect(DB)
    return _worker_connection


@app.task(name="canary")
def canary(job_id):
    c = worker_connection()
    with c.cursor() as cur:
        cur.execute("UPDATE celery_job SET state = 'running', started_at = clock_timestamp()"
                    " WHERE id = %s AND state = 'created'", (job_id,))
    c.commit()
    with c.cursor() as cur:
        cur.execute("UPDATE celery_job SET state = 'success', finished_at = clock_timestamp()"
                    " WHERE id = %s AND state = 'running'", (job_id,))
        cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, job_id))
    c.commit()


def submit(c, owner):
    """Inserts the job row (committed), then publishes its task with a publisher confirm."""
    job_id = str(uuid.uuid4())
    with c.cursor() as cur:
        cur.execute("INSERT INTO celery_job (id, owner, state, created_at) VALUES (%s, %s, 'created', clock_timestamp())",
                    (job_id, owner))
    c.commit()
    canary.apply_async((job_id,))
    return job_id


def percentile_ms(nanos, p):
    if not nanos:
        return float("nan")
    values = sorted(nanos)
    return values[min(len(values) - 1, int(len(values) * p / 100))] / 1e6


def await_finished(c, owner, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with c.cursor() as cur:
            cur.execute("SELECT count(*) FROM celery_job WHERE owner = %s AND finished_at IS NULL", (owner,))
            if cur.fetchone()[0] == 0:
                return
        c.commit()
        time.sleep(0.2)
    raise RuntimeError("jobs of " + owner + " did not finish within " + str(timeout) + " s")


def saturate(seconds, threads=16):
    owner = "celery-sat-" + RUN
    latencies = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client():
        c = psycopg2.connect(DB)
        mine = []
        while time.monotonic() < end:
            t0 = time.monotonic_ns()
            submit(c, owner)
            mine.append(time.monotonic_ns() - t0)
        c.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    c = psycopg2.connect(DB)
    await_finished(c, owner)
    with c.cursor() as cur:
        cur.execute("SELECT count(*), extract(epoch FROM max(finished_at) - min(created_at)) FROM celery_job"
                    " WHERE owner = %s AND state = 'success'", (owner,))
        completed, span = cur.fetchone()
    c.close()
    return {
        "celery_accepted_per_s": len(latencies) / elapsed,
        "celery_submit_p50_ms": percentile_ms(latencies, 50),
        "celery_submit_p99_ms": percentile_ms(latencies, 99),
        "celery_completed_per_s": completed / float(span),
    }


class Listener(threading.Thread):
    """Records when each job's success notification arrived (time.monotonic_ns)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.arrived = {}
        self.connection = psycopg2.connect(DB)
        self.connection.autocommit = True
        with self.connection.cursor() as cur:
            cur.execute("LISTEN " + CHANNEL)
        self.running = True

    def run(self):
        while self.running:
            if select.select([self.connection], [], [], 0.2)[0]:
                self.connection.poll()
                now = time.monotonic_ns()
                while self.connection.notifies:
                    self.arrived.setdefault(self.connection.notifies.pop(0).payload, now)


def offered(rate, seconds, owner, listener, threads=4):
    """Submits at rate per second (each submission due at start + i / rate) from a few client threads."""
    total = int(rate * seconds)
    due = {}
    start = time.monotonic_ns() + 50_000_000
    interval = 1e9 / rate

    def client(k):
        c = psycopg2.connect(DB)
        for i in range(k, total, threads):
            scheduled = start + int(i * interval)
            wait = scheduled - time.monotonic_ns()
            if wait > 0:
                time.sleep(wait / 1e9)
            due[submit(c, owner)] = scheduled
        c.close()

    workers = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    deadline = time.monotonic() + 60
    while any(job_id not in listener.arrived for job_id in due) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [listener.arrived[job_id] - at for job_id, at in due.items() if job_id in listener.arrived], len(due)


def measured(rate, seconds, owner, listener):
    """One period at rate per second: p50 and p99 (ms) of submit -> success as the client sees it, and the jobs."""
    latencies, sent = offered(rate, seconds, owner, listener)
    if len(latencies) != sent:
        raise RuntimeError("%d of %d jobs never reported success" % (sent - len(latencies), sent))
    return percentile_ms(latencies, 50), percentile_ms(latencies, 99), sent


def latency(rate, seconds):
    listener = Listener()
    listener.start()
    offered(rate, seconds, "celery-first-" + RUN, listener)
    p50, p99, _ = measured(rate, seconds, "celery-steady-" + RUN, listener)
    listener.running = False
    return {"celery_client_p50_ms_at_%d_per_s" % rate: p50, "celery_client_p99_ms_at_%d_per_s" % rate: p99}


def serve(rate, seconds):
    """Measured periods on demand ("period LABEL" on stdin), each printed as one JSON line."""
    listener = Listener()
    listener.start()
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] != "period":
            raise RuntimeError("unknown command: " + line.strip())
        p50, p99, sent = measured(rate, seconds, "celery-" + words[1] + "-" + RUN, listener)
        print(json.dumps({"p50_ms": p50, "p99_ms": p99, "jobs": sent}), flush=True)
    listener.running = False


def main():
    global DB
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="libpq connection string of the scenario's database")
    parser.add_argument("--broker", required=True, help="amqp:// URL of the scenario's virtual host")
    parser.add_argument("--saturate", type=int, default=0, help="seconds of submission at saturation (0: none)")
    parser.add_argument("--latency", type=int, default=0, help="seconds per period at --rate (0: none)")
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--serve", action="store_true", help="then measure periods at --rate on demand (stdin)")
    args = parser.parse_args()
    # This process's app was made at import, before the arguments; the worker's reads them from its environment.
    DB = args.db
    app.conf.broker_url = args.broker
    env = dict(os.environ, CELERY_BASELINE_DB=args.db, CELERY_BASELINE_BROKER=args.broker, PYTHONDONTWRITEBYTECODE="1")

    c = psycopg2.connect(DB)
    with c.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS celery_job (id uuid PRIMARY KEY, owner text NOT NULL, state text NOT NULL,"
                    " created_at timestamptz NOT NULL, started_at timestamptz, finished_at timestamptz)")
    c.commit()
    c.close()

    here = os.path.dirname(os.path.abspath(__file__))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_baseline", "worker", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=here, env=env, stdout=sys.stderr, stderr=sys.stderr)
    try:
        wait_for_worker()
        figures = {}
        if args.saturate > 0:
            figures.update(saturate(args.saturate))
        if args.latency > 0:
            figures.update(latency(args.rate, args.latency))
        print(json.dumps(figures), flush=True)
        if args.serve:
            serve(args.rate, args.latency)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for_worker(timeout=60):
    """Until the worker answers a ping on the broker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not come up within %d s" % timeout)


if __name__ == "__main__":
    main()
