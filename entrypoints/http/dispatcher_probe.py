"""Readiness of this instance's dispatcher: the task `queue_workers` started for it is alive."""

import asyncio

from attrs import define, frozen


@define
class DispatcherTask:
    """The task running this app's dispatcher, once `queue_workers` has started it (one per app, so two apps
    in one process, as in the tests, never see each other's)."""

    task: asyncio.Task[None] | None = None


@frozen
class DispatcherProbe:
    enabled: bool  # QUEUE_WORKERS: with it off this instance runs no jobs, and that is not a fault
    running: DispatcherTask
    name: str = "dispatcher"

    async def check(self) -> None:
        if not self.enabled:
            return
        if self.running.task is None or self.running.task.done():
            raise RuntimeError("the dispatcher is not running")
