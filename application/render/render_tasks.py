"""The renders this instance runs in the background: kept referenced, stopped at shutdown."""

import asyncio
from collections.abc import Coroutine
from typing import Any

from attrs import define, field


@define
class RenderTasks:
    stopping: bool = False  # renders check it between frames and give up (their job is then failed, re-runnable)
    _tasks: set[asyncio.Task[None]] = field(factory=set)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name="animatic render")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait(self) -> None:
        """Until every running render has ended (tests; shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        self.stopping = True
        await self.wait()
