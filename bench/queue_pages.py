"""Does reading the queue cost more as its history grows? Latency and database CPU of the queue's pages and status.

Run from the repository root: python -m bench.queue_pages [--histories 1000,10000] [--requests 30] [--projects 4]

For each history length N it starts SecantusDB and one API instance (`python -m entrypoints.cli serve`, the
queue paused, no server registered), stores N jobs through the product's job store (spread over `--projects`
projects; 1 in 20 waiting, the rest completed, failed or cancelled, as a busy queue's history is), then sends
`--requests` requests of each kind one after another and measures each one's latency and the database's CPU:
the queue's first page, the first page of one status and of one project, and the queue's status (counts by
state). The last line is the JSON summary: {"histories": {N: {kind: {"p50_ms", "db_ms"}}}}.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.mongo.client import connect
from adapters.mongo.converter import make_document_converter
from adapters.mongo.embedded_server import EmbeddedSecantus, free_port
from adapters.mongo.job_store import MongoJobStore
from bench.processes import cpu_seconds, positive, start_server, wait_until_ok
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob

API = "/api/v1"
DB_NAME = "storycanvas_queue_pages"
HISTORY = (JobStatus.COMPLETED,) * 14 + (JobStatus.FAILED,) * 2 + (JobStatus.CANCELLED,) * 3 + (JobStatus.PENDING,)
KINDS = {"page": "/queue/jobs?limit=20", "status_page": "/queue/jobs?status=completed&limit=20",
         "project_page": "/queue/jobs?project_id=p0&limit=20", "status": "/queue/status"}
Json = dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--histories", default="1000,10000", help="jobs stored, comma-separated")
    parser.add_argument("--requests", type=positive(int), default=30, help="requests of each kind")
    parser.add_argument("--projects", type=positive(int), default=4)
    return parser.parse_args()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def history(jobs: int, projects: int) -> list[QueueJob]:
    """`jobs` jobs of the last hour, newest last."""
    start = datetime.now(UTC) - timedelta(hours=1)
    return [QueueJob(id=f"job-{n:06d}", project_id=f"p{n % projects}", clip_id=f"clip-{n % 97}",
                     kind=ContentKind.IMAGE, model="sdxl", params={"prompt": "a fox at dusk", "seed": n},
                     output_node="9", status=HISTORY[n % len(HISTORY)],
                     created_at=start + timedelta(seconds=3600 * n / jobs), updated_at=start) for n in range(jobs)]


async def store_history(url: str, jobs: int, projects: int) -> None:
    database = await connect(url, DB_NAME)
    try:
        store = MongoJobStore(database.handle, make_document_converter())
        every = history(jobs, projects)
        for start in range(0, jobs, 1000):
            batch = every[start:start + 1000]
            await store.add_all(batch, [{"9": {"class_type": "SaveImage", "inputs": {}}}] * len(batch))
    finally:
        await database.close()


def get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


def measure(args: argparse.Namespace, jobs: int) -> Json:
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-queue-pages-")))
        database = EmbeddedSecantus(workdir / "db")
        stack.callback(database.stop)
        database.start()
        say(f"storing {jobs} jobs")
        asyncio.run(store_history(database.url, jobs, args.projects))
        port = free_port()
        env = dict(os.environ, MONGO_URL=database.url, DB_NAME=DB_NAME, BACKEND_HOST="127.0.0.1",
                   BACKEND_PORT=str(port), UPLOAD_DIR=str(workdir / "uploads"), DATA_DIR=str(workdir / "data"),
                   ACCESS_LOG="false", LOG_FORMAT="text")
        api = start_server("api", ["entrypoints.cli", "serve"], port=port, log=workdir / "api.log", env=env)
        stack.callback(api.stop)
        wait_until_ok(api, f"{API}/health")
        request = urllib.request.Request(api.url(f"{API}/queue/pause"), data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).read()
        results = {}
        for kind, path in KINDS.items():
            get(api.url(API + path))  # the first: connections, a build of what is kept
            before = cpu_seconds(database.process.pid)
            latencies = [get(api.url(API + path)) for _ in range(args.requests)]
            db_s = cpu_seconds(database.process.pid) - before
            results[kind] = {"p50_ms": round(statistics.median(latencies) * 1000, 1),
                             "db_ms": round(db_s / args.requests * 1000, 1)}
        return results


def main() -> None:
    args = parse_args()
    histories = [int(value) for value in args.histories.split(",")]
    summary: Json = {"requests": args.requests, "histories": {}}
    for jobs in histories:
        summary["histories"][str(jobs)] = results = measure(args, jobs)
        print(f"{jobs} jobs: " + ", ".join(f"{kind} p50 {r['p50_ms']} ms (database {r['db_ms']} ms)"
                                           for kind, r in results.items()), flush=True)
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
