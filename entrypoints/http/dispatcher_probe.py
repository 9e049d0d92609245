"""Readiness of this instance's dispatcher: its task (started by `queue_workers`) is alive."""

import asyncio

from attrs import frozen

DISPATCHER_TASK = "dispatcher"


@frozen
class DispatcherProbe:
    enabled: bool  # QUEUE_WORKERS: with it off this instance runs no jobs, and that is not a fault
    name: str = "dispatcher"

    async def check(self) -> None:
        if not self.enabled:
            return
        alive = [t for t in asyncio.all_tasks() if t.get_name() == DISPATCHER_TASK and not t.done()]
        if not alive:
            raise RuntimeError("the dispatcher is not running")
