"""Readiness of this instance's dispatcher: the task `queue_workers` started for it is alive, and its loop still
finishes rounds (a round awaiting something that never answers leaves the task alive but the queue still)."""

import asyncio
import time
from typing import Protocol

from attrs import define, frozen

STALL_TICKS = 3  # a stall is never declared before this many ticks without a finished round


class DispatchLoop(Protocol):
    tick_s: float  # the longest wait between two rounds
    last_round_at: float  # monotonic time its last round finished (-inf before the first)


class DispatcherStalled(RuntimeError):
    """The dispatcher's task is alive but has finished no round for longer than the threshold."""


@define
class DispatcherTask:
    """The task running this app's dispatcher, once `queue_workers` has started it (one per app, so two apps
    in one process, as in the tests, never see each other's)."""

    task: asyncio.Task[None] | None = None
    loop: DispatchLoop | None = None
    started_at: float = float("-inf")

    def started(self, task: asyncio.Task[None] | None, loop: DispatchLoop | None) -> None:
        self.task, self.loop, self.started_at = task, loop, time.monotonic()

    def idle_s(self) -> float:
        """Seconds since its last finished round (or its start, before the first)."""
        last = self.started_at if self.loop is None else max(self.started_at, self.loop.last_round_at)
        return time.monotonic() - last


@frozen
class DispatcherProbe:
    enabled: bool  # QUEUE_WORKERS: with it off this instance runs no jobs, and that is not a fault
    running: DispatcherTask
    stall_after_s: float = 5.0  # DISPATCH_STALL_S
    name: str = "dispatcher"

    async def check(self) -> None:
        if not self.enabled:
            return
        if self.running.task is None or self.running.task.done():
            raise RuntimeError("the dispatcher is not running")
        tick = self.running.loop.tick_s if self.running.loop is not None else 0.0
        idle, threshold = self.running.idle_s(), max(self.stall_after_s, STALL_TICKS * tick)
        if idle > threshold:
            raise DispatcherStalled(f"the dispatcher has finished no round for {idle:.1f} s (threshold "
                                    f"{threshold:.1f} s)")
