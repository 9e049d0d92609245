"""Watching jobs: a live rich progress bar per job and one for the batch, until every job has ended.

While it watches, this process runs a dispatcher of its own: with no server running it does the work; beside a
running server the dispatch lease keeps one scheduler, and whichever holds it runs the jobs.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from application.queue.dispatcher import Dispatcher
from domain.queue_job import JobStatus, QueueJob
from entrypoints.cli.output import console
from entrypoints.container import Container

POLL_S = 0.25
ReadJobs = Callable[[], Awaitable[Sequence[QueueJob]]]


def _label(job: QueueJob) -> str:
    state = job.status.value if job.status is not JobStatus.PENDING or not job.waiting_reason else job.waiting_reason
    return f"{job.clip_id} {job.model} ({state})"


class JobBars:
    """One bar per job and a total; `update` redraws them from the jobs as stored."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._total = progress.add_task("batch", total=total)
        self._bars: dict[str, TaskID] = {}

    def update(self, jobs: Sequence[QueueJob]) -> None:
        for job in jobs:
            if job.id not in self._bars:
                self._bars[job.id] = self._progress.add_task(_label(job), total=100)
            done = 100.0 if job.status is JobStatus.COMPLETED else job.progress
            self._progress.update(self._bars[job.id], completed=done, description=_label(job))
        ended = sum(job.status.final for job in jobs)
        self._progress.update(self._total, total=len(jobs), completed=ended,
                              description=f"batch: {ended}/{len(jobs)} ended")


async def watch(read: ReadJobs, *, show: bool) -> list[QueueJob]:
    """Poll the jobs until all have ended; with `show`, draw the bars (transient output on a terminal)."""
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=console(), disable=not show) as progress:
        bars = None
        while True:
            jobs = list(await read())
            bars = bars or JobBars(progress, len(jobs))
            bars.update(jobs)
            if all(job.status.final for job in jobs):
                return jobs
            await asyncio.sleep(POLL_S)


@contextlib.asynccontextmanager
async def dispatching(container: Container) -> AsyncIterator[Dispatcher]:
    """This process's dispatcher runs for the length of the block, then hands its running jobs back."""
    dispatcher = container.dispatcher()
    task = asyncio.create_task(dispatcher.run_forever(), name="cli dispatcher")
    try:
        yield dispatcher
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        with contextlib.suppress(Exception):
            await asyncio.wait_for(dispatcher.stop(), 10)
