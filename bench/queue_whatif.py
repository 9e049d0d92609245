"""`python -m bench.queue_whatif serve`: the product's `serve`, with suggested queue fixes patched in at start.

For measuring a proposed change before anyone edits the product: bench/queue.py runs this instead of
`python -m entrypoints.cli serve` when given `--patch`. The product's files are not touched; the
patches below replace single methods in memory. BENCH_QUEUE_PATCHES (comma-separated) chooses them:

- wake:   the dispatcher clears its wake-up flag *before* a round, not after, so a slot freed (or a job
          queued) while a round runs starts another round at once instead of waiting for the next tick.
- window: the ready jobs handed to the policy are the first `free` of each (project, checkpoint), not the
          first `free` of each project, so model affinity has a same-checkpoint job to choose; one
          projected query of the pending queue, then the chosen documents in full.
- slot:   the checkpoint the dispatcher believes a server holds is the one of the job that just *left* a
          slot there (the slot the next prompt will take), not the one of the job last sent there.
- trace:  changes no behaviour: times the dispatcher's round and its steps, the job store's calls, the
          runner's steps, the wait from wake() to the next round and the event loop's lag, and writes a
          summary (JSON) to BENCH_QUEUE_TRACE when the process exits.
"""

import asyncio
import atexit
import contextlib
import functools
import json
import logging
import os
import sys
import time
from collections import defaultdict
from datetime import datetime
from typing import Any

from pymongo import monitoring

from adapters.mongo.job_store import BY_PRIORITY, MongoJobStore
from application.queue.dispatcher import Dispatcher
from domain.queue_job import JobStatus, QueueJob
from entrypoints.cli.__main__ import main

log = logging.getLogger("bench.queue_whatif")
PATCHES = ("wake", "window", "slot", "trace")


async def run_forever_clearing_first(self: Dispatcher) -> None:
    while True:
        self._wake.clear()
        try:
            await self.tick()
        except Exception:
            log.exception("dispatch tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.tick_s)


async def ready_per_checkpoint(self: MongoJobStore, now: datetime, *, per_project: int) -> list[QueueJob]:
    due = {"status": JobStatus.PENDING.value, "$or": [{"not_before": None}, {"not_before": {"$lte": now}}]}
    heads = await self._jobs.find(due, sort=BY_PRIORITY, projection={"project_id": 1, "checkpoint": 1}).to_list()
    taken: defaultdict[tuple[Any, Any], int] = defaultdict(int)
    chosen = []
    for head in heads:
        key = (head.get("project_id"), head.get("checkpoint"))
        if taken[key] < per_project:
            taken[key] += 1
            chosen.append(head["_id"])
    documents = await self._jobs.find({"_id": {"$in": chosen}, **due}).to_list()
    return self._load(documents)


original_run = Dispatcher._run


async def run_remembering_freed_slot(self: Dispatcher, job: QueueJob, url: str, *, adopt: bool) -> None:
    try:
        await original_run(self, job, url, adopt=adopt)
    finally:
        if job.server_id is not None:
            self._loaded[job.server_id] = job.checkpoint


TIMES: defaultdict[str, list[float]] = defaultdict(list)


def timed(owner: Any, name: str, label: str) -> None:
    """Replace the coroutine method `owner.name` by one that records its wall time under `label`."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            TIMES[label].append(time.perf_counter() - started)

    setattr(owner, name, wrapper)


class CommandTimes(monitoring.CommandListener):
    """Every command the product sends to the database: `mongo <command> <collection>`, round-trip time."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        target = event.command.get(event.command_name)
        where = target if isinstance(target, str) else ""
        self.names[event.request_id] = f"mongo {event.command_name} {where}".rstrip()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        TIMES[self.names.pop(event.request_id, f"mongo {event.command_name}")].append(event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        TIMES[self.names.pop(event.request_id, f"mongo {event.command_name}") + " (failed)"].append(
            event.duration_micros / 1e6)


def trace() -> None:
    from adapters.comfyui.http_client import ComfyUIHttp
    from adapters.media.output_store import FilesystemOutputStore
    from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
    from application.queue import dispatcher as dispatcher_module
    from application.queue.run_job import RunJob

    for owner, names in ((Dispatcher, ("tick", "_servers", "_dispatch", "_claim_and_run", "_recover")),
                         (MongoJobStore, ("ready", "processing", "claim", "save", "get", "workflow",
                                          "report_progress", "renew_leases")),
                         (MongoDispatchLease, ("hold",)), (MongoQueueSettings, ("paused", "paused_servers")),
                         (ComfyUIHttp, ("post_prompt", "history")),
                         (RunJob, ("__call__", "_succeed", "_file_into_gallery", "_finish")),
                         (FilesystemOutputStore, ("save_output",))):
        for name in names:
            timed(owner, name, f"{owner.__name__}.{name}")
    plan = dispatcher_module.plan_dispatch

    def timed_plan(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return plan(*args, **kwargs)
        finally:
            TIMES["plan_dispatch"].append(time.perf_counter() - started)

    dispatcher_module.plan_dispatch = timed_plan  # type: ignore[assignment]
    monitoring.register(CommandTimes())
    woken: dict[int, float] = {}
    wake, tick, run_forever = Dispatcher.wake, Dispatcher.tick, Dispatcher.run_forever

    def traced_wake(self: Dispatcher) -> None:
        woken.setdefault(id(self), time.perf_counter())
        wake(self)

    async def traced_tick(self: Dispatcher) -> None:
        since = woken.pop(id(self), None)
        if since is not None:
            TIMES["wake() -> round starts"].append(time.perf_counter() - since)
        await tick(self)

    async def lag_monitor() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            TIMES["event loop lag (10 ms sleep overshoot)"].append(time.perf_counter() - started - 0.01)

    async def traced_run_forever(self: Dispatcher) -> None:
        monitor = asyncio.create_task(lag_monitor())
        try:
            await run_forever(self)
        finally:
            monitor.cancel()

    Dispatcher.wake, Dispatcher.tick = traced_wake, traced_tick  # type: ignore[method-assign]
    Dispatcher.run_forever = traced_run_forever  # type: ignore[method-assign]
    atexit.register(dump_trace)


def dump_trace() -> None:
    path = os.environ.get("BENCH_QUEUE_TRACE")
    if path:
        with open(path, "w") as out:
            json.dump({label: [round(value * 1000, 3) for value in values] for label, values in TIMES.items()}, out)


def apply(names: list[str]) -> None:
    unknown = set(names) - set(PATCHES)
    if unknown:
        raise SystemExit(f"unknown patches {sorted(unknown)}; known: {', '.join(PATCHES)}")
    if "wake" in names:
        Dispatcher.run_forever = run_forever_clearing_first  # type: ignore[method-assign]
    if "window" in names:
        MongoJobStore.ready = ready_per_checkpoint  # type: ignore[method-assign]
    if "slot" in names:
        # original_run's finally wakes the dispatcher; this one records the slot before the dispatcher runs.
        Dispatcher._run = run_remembering_freed_slot  # type: ignore[method-assign]
    if "trace" in names:  # last, so it times whichever methods the other patches installed
        trace()


if __name__ == "__main__":
    apply([name for name in os.environ.get("BENCH_QUEUE_PATCHES", "").split(",") if name])
    sys.exit(main(sys.argv[1:]))
