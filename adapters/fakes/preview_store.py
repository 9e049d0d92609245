"""The latest preview of each job, in memory; `changes()` feeds every listener through its own queue."""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

from attrs import define, field

from application.ports.preview_store import JobPreview


@define
class InMemoryPreviewStore:
    previews: dict[str, JobPreview] = field(factory=dict)
    _listeners: list[asyncio.Queue[JobPreview]] = field(factory=list)

    async def put(self, preview: JobPreview) -> None:
        self.previews[preview.job_id] = preview
        for listener in self._listeners:
            listener.put_nowait(preview)

    async def latest(self, job_id: str) -> JobPreview | None:
        return self.previews.get(job_id)

    async def delete(self, job_ids: Sequence[str]) -> None:
        for job_id in job_ids:
            self.previews.pop(job_id, None)

    async def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[JobPreview]:
        listener: asyncio.Queue[JobPreview] = asyncio.Queue()
        self._listeners.append(listener)
        if opened is not None:
            opened()
        try:
            while True:
                yield await listener.get()
        finally:
            self._listeners.remove(listener)
