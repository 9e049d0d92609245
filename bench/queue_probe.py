"""What one dispatcher round costs the database: each job-store call timed against the bench's queue.

Run from the repository root: python -m bench.queue_probe [--jobs 500] [--repeat 40]

Builds the same queue as bench/queue.py (through the product's API, queue paused), stops the API so
nothing else touches the database, then calls the product's own Mongo adapters in this process and
reports, per call, the wall time and the database process's CPU time (from /proc).
"""

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from adapters.mongo.client import connect
from adapters.mongo.converter import make_document_converter
from adapters.mongo.job_store import BY_PRIORITY, MongoJobStore
from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
from adapters.system_clock import SystemClock
from bench.processes import cpu_seconds
from bench.queue import DB_NAME, job_plan, prepare, start_fleet


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.work, args.switch_delay, args.tick, args.patch, args.prefetch = 0.3, 1.5, 0.5, "", None  # start_fleet
    return args


async def probe(url: str, db_pid: int, repeat: int) -> None:
    database = await connect(url, DB_NAME)
    converter = make_document_converter()
    jobs = MongoJobStore(database.handle, converter)
    settings, lease = MongoQueueSettings(database.handle), MongoDispatchLease(database.handle)
    clock = SystemClock()
    servers = database.handle["comfyui_servers"]
    coll = database.handle["queue_jobs"]

    def due() -> dict[str, Any]:
        return {"status": "pending", "$or": [{"not_before": None}, {"not_before": {"$lte": clock.now()}}]}

    pending = await jobs.ready(clock.now(), per_project=10_000)
    some = [job.id for job in pending[:8]]
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "renew_leases (8 ids)": lambda: jobs.renew_leases(some, owner="nobody", until=clock.now()),
        "lease.hold": lambda: lease.hold("probe", seconds=15),
        "settings.paused": settings.paused,
        "settings.paused_servers": settings.paused_servers,
        "comfyui_servers.find(enabled)": lambda: servers.find({"enabled": True}).to_list(),
        "jobs.processing()": jobs.processing,
        "jobs.ready(per_project=1)": lambda: jobs.ready(clock.now(), per_project=1),
        "jobs.ready(per_project=200), the window": lambda: jobs.ready(clock.now(), per_project=200),
        "  of which distinct(project_id)": lambda: database.handle["queue_jobs"].distinct(
            "project_id", {"status": "pending", "$or": [{"not_before": None}, {"not_before": {"$lte": clock.now()}}]}),
        "  find(pending, $or, BY_PRIORITY, limit 8)": lambda: coll.find(due(), sort=BY_PRIORITY, limit=8).to_list(),
        "  find(pending, BY_PRIORITY, limit 8)": lambda: coll.find({"status": "pending"}, sort=BY_PRIORITY,
                                                                    limit=8).to_list(),
        "  find(pending, index order, limit 8)": lambda: coll.find(
            {"status": "pending"}, sort=[("status", 1), ("priority", -1), ("created_at", 1)], limit=8).to_list(),
        "  find(pending, no sort, limit 8)": lambda: coll.find({"status": "pending"}, limit=8).to_list(),
        "  find(pending) all, _id only": lambda: coll.find({"status": "pending"}, projection={"_id": 1}).to_list(),
        "  count(pending)": lambda: coll.count_documents({"status": "pending"}),
        "jobs.get(id)": lambda: jobs.get(some[0]),
        "jobs.workflow(id)": lambda: jobs.workflow(some[0]),
        "jobs.count(status)": lambda: jobs.count({"status": "completed"}),
    }
    print(f"{len(pending)} pending jobs; {repeat} calls each; wall and database CPU per call")
    print(f"{'call':<44}{'wall p50 ms':>12}{'db CPU ms':>11}")
    for name, make in calls.items():
        await make()  # warm
        walls = []
        before = cpu_seconds(db_pid)
        for _ in range(repeat):
            started = time.perf_counter()
            await make()
            walls.append((time.perf_counter() - started) * 1000)
        db_ms = (cpu_seconds(db_pid) - before) * 1000 / repeat
        print(f"{name:<44}{statistics.median(walls):>12.2f}{db_ms:>11.2f}")
    await claims(jobs, coll, pending[8:8 + 2 * repeat], db_pid, clock)
    await writes(jobs, coll, some, db_pid, repeat, clock)
    await database.close()


async def claims(jobs: MongoJobStore, coll: Any, batch: list[Any], db_pid: int, clock: SystemClock) -> None:
    """The product's claim ($set of every field) against one that sets only the fields a claim changes."""
    half = len(batch) // 2

    async def full(job: Any) -> None:
        claimed = job.claimed(server_id="probe", owner="probe", lease=timedelta(seconds=30), now=clock.now())
        await jobs.claim(job, claimed)

    async def minimal(job: Any) -> None:
        now = clock.now()
        await coll.find_one_and_update(
            {"_id": job.id, "status": "pending", "version": job.version},
            {"$set": {"status": "processing", "server_id": "probe", "prompt_id": f"{job.id}-1", "attempt": 1,
                      "lease_owner": "probe", "lease_expires_at": now + timedelta(seconds=30), "started_at": now,
                      "updated_at": now, "progress": 0.0, "error_message": None}, "$inc": {"version": 1}},
            projection={"_id": 1})

    for label, claim, chosen in (("claim (product: $set of every field)", full, batch[:half]),
                                 ("claim ($set of the changed fields only)", minimal, batch[half:])):
        walls = []
        before = cpu_seconds(db_pid)
        for job in chosen:
            started = time.perf_counter()
            await claim(job)
            walls.append((time.perf_counter() - started) * 1000)
        db_ms = (cpu_seconds(db_pid) - before) * 1000 / max(len(chosen), 1)
        print(f"{label:<44}{statistics.median(walls):>12.2f}{db_ms:>11.2f}")


async def writes(jobs: MongoJobStore, coll: Any, ids: list[str], db_pid: int, repeat: int, clock: SystemClock) -> None:
    """A job update (as report_progress does) with and without a change stream open, as the relay keeps one."""
    await coll.update_many({"_id": {"$in": ids}}, {"$set": {"status": "processing", "lease_owner": "probe"}})

    async def progress() -> None:
        await jobs.report_progress(ids[0], owner="probe", progress=50.0, now=clock.now())

    async def cost(label: str) -> None:
        walls = []
        before = cpu_seconds(db_pid)
        for _ in range(repeat):
            started = time.perf_counter()
            await progress()
            walls.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.3)  # let the change stream catch up inside the measurement
        db_ms = (cpu_seconds(db_pid) - before - 0.0) * 1000 / repeat
        print(f"{label:<44}{statistics.median(walls):>12.2f}{db_ms:>11.2f}")

    await cost("report_progress, no change stream")
    seen = 0

    async def watch() -> None:
        nonlocal seen
        async with await coll.watch(full_document="updateLookup") as stream:
            async for _ in stream:
                seen += 1

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0.5)
    await cost("report_progress, one change stream (updateLookup)")
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    print(f"(the change stream delivered {seen} events)")


def main() -> None:
    args = parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storycanvas-queue-probe-")))
        fleet = start_fleet(stack, workdir, args, affinity=True)
        print(f"queueing {args.jobs} jobs through the API (paused)", file=sys.stderr)
        prepare(fleet, job_plan(args.jobs, args.seed))
        fleet.api.stop()
        for sim in fleet.sims.values():
            sim.stop()
        assert fleet.database.process is not None
        asyncio.run(probe(fleet.database.url, fleet.database.process.pid, args.repeat))


if __name__ == "__main__":
    main()
