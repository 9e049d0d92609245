"""`python -m bench.queue_whatif serve`: the product's `serve`, traced or with a suggested change patched in.

For measuring a proposed change before anyone edits the product, and for seeing where a round's time
goes: bench/queue.py runs this instead of `python -m entrypoints.cli serve` when given `--patch`. The
product's files are not touched; the patches replace single names in memory at start.
BENCH_QUEUE_PATCHES (comma-separated) chooses them:

- progress: the runner writes a job's progress to the database at most once a second (PROGRESS_EVERY_S
            1.0 instead of 0.25): fewer writes on `queue_jobs`, fewer change-stream events.
- lazy:     the dispatcher re-reads its waiting window when woken (a job queued here), when the window
            holds fewer jobs than there are free slots, or every 10 s (jobs queued through another
            instance), instead of every second: the read costs ~35 ms of SecantusDB time with 500 jobs
            waiting, and every claim queues behind it.
- trace:    changes no behaviour: times the dispatcher's round and its steps, the job store's calls, the
            runner's steps, every database command (round trip, by command and collection), the wait
            from a wake-up (a job queued, a slot freed) to the next round, and the event loop's lag;
            writes them (JSON: label -> [[monotonic end, ms], ...]) to BENCH_QUEUE_TRACE at exit.

(Measured here before the product adopted them: the wake-up cleared before a round, the checkpoint of
a freed slot remembered, the waiting window kept between rounds, housekeeping beside the rounds: the
`aside` patch, now the product's own with the window re-read beside the rounds and claims made together.)
"""

import asyncio
import atexit
import functools
import json
import logging
import os
import sys
import time
from collections import defaultdict
from typing import Any

from pymongo import monitoring

from application.queue import run_job as run_job_module
from application.queue.dispatcher import Dispatcher
from entrypoints.cli.__main__ import main

log = logging.getLogger("bench.queue_whatif")
PATCHES = ("progress", "lazy", "trace")
TIMES: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)  # label -> [(monotonic end, seconds)]


LAZY_S = 10.0


async def ready_lazily(self: Dispatcher, free: int) -> list[Any]:
    if len(self._pending) < free or time.monotonic() - self._pending_at >= LAZY_S:
        self._pending = await self.jobs.ready(self.clock.now(), per_project=max(self.ready_window, free))
        self._pending_at = time.monotonic()
    now = self.clock.now()
    return [job for job in self._pending if job.not_before is None or job.not_before <= now]


def record(label: str, seconds: float) -> None:
    TIMES[label].append((time.monotonic(), seconds))


def timed(owner: Any, name: str, label: str) -> None:
    """Replace the coroutine method `owner.name` by one that records its wall time under `label`."""
    inner = getattr(owner, name, None)
    if inner is None:  # the product moved on: trace what is there
        log.warning("trace: %s.%s not found", owner.__name__, name)
        return

    @functools.wraps(inner)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            record(label, time.perf_counter() - started)

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
        record(self.names.pop(event.request_id, f"mongo {event.command_name}"), event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        record(self.names.pop(event.request_id, f"mongo {event.command_name}") + " (failed)",
               event.duration_micros / 1e6)


def trace() -> None:
    from adapters.comfyui.http_client import ComfyUIHttp
    from adapters.media.filesystem_store import FilesystemMediaStore
    from adapters.mongo.job_store import MongoJobStore
    from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
    from application.queue.run_job import RunJob

    for owner, names in ((Dispatcher, ("tick", "_housekeeping", "_dispatch", "_ready", "_claim_and_run")),
                         (MongoJobStore, ("ready", "processing", "claim", "save", "get", "workflow",
                                          "report_progress", "renew_leases")),
                         (MongoDispatchLease, ("hold",)), (MongoQueueSettings, ("paused", "paused_servers")),
                         (ComfyUIHttp, ("post_prompt", "history")),
                         (RunJob, ("__call__", "_succeed", "_file_into_gallery", "_finish")),
                         (FilesystemMediaStore, ("store_generated",))):
        for name in names:
            timed(owner, name, f"{owner.__name__}.{name}")
    monitoring.register(CommandTimes())
    woken: dict[int, float] = {}
    wake, tick, run, run_forever = Dispatcher.wake, Dispatcher.tick, Dispatcher._run, Dispatcher.run_forever

    def traced_wake(self: Dispatcher, *args: Any, **kwargs: Any) -> None:
        woken.setdefault(id(self), time.perf_counter())
        wake(self, *args, **kwargs)

    async def traced_run(self: Dispatcher, *args: Any, **kwargs: Any) -> None:
        try:
            await run(self, *args, **kwargs)
        finally:  # the runner's end wakes the dispatcher (a slot is free)
            woken.setdefault(id(self), time.perf_counter())

    async def traced_tick(self: Dispatcher) -> None:
        since = woken.pop(id(self), None)
        if since is not None:
            record("wake-up -> round starts", time.perf_counter() - since)
        await tick(self)

    async def lag_monitor() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            record("event loop lag (10 ms sleep overshoot)", time.perf_counter() - started - 0.01)

    async def traced_run_forever(self: Dispatcher) -> None:
        monitor = asyncio.create_task(lag_monitor())
        try:
            await run_forever(self)
        finally:
            monitor.cancel()

    Dispatcher.wake, Dispatcher.tick = traced_wake, traced_tick  # type: ignore[method-assign]
    Dispatcher._run, Dispatcher.run_forever = traced_run, traced_run_forever  # type: ignore[method-assign]
    atexit.register(dump_trace)


def dump_trace() -> None:
    path = os.environ.get("BENCH_QUEUE_TRACE")
    if path:
        with open(path, "w") as out:
            json.dump({label: [(round(end, 4), round(seconds * 1000, 3)) for end, seconds in values]
                       for label, values in TIMES.items()}, out)


def apply(names: list[str]) -> None:
    unknown = set(names) - set(PATCHES)
    if unknown:
        raise SystemExit(f"unknown patches {sorted(unknown)}; known: {', '.join(PATCHES)}")
    if "progress" in names:
        run_job_module.PROGRESS_EVERY_S = 1.0
    if "lazy" in names:
        Dispatcher._ready = ready_lazily  # type: ignore[method-assign]
    if "trace" in names:  # last, so it times whichever methods the other patches installed
        trace()


if __name__ == "__main__":
    apply([name for name in os.environ.get("BENCH_QUEUE_PATCHES", "").split(",") if name])
    sys.exit(main(sys.argv[1:]))
