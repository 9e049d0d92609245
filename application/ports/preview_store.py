"""Port: the latest sampler preview of each running job, shared by every API instance."""

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen


@frozen
class JobPreview:
    job_id: str
    project_id: str
    clip_id: str
    image: bytes  # JPEG, at most 512 px on the long side
    created_at: datetime


class PreviewStore(Protocol):
    async def put(self, preview: JobPreview) -> None:
        """Keep `preview` as its job's latest, replacing the one before."""
        ...

    async def latest(self, job_id: str) -> JobPreview | None: ...

    async def delete(self, job_ids: Sequence[str]) -> None: ...

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[JobPreview]:
        """Every preview put by any API instance once the feed is open; `opened` is called then (as JobStore's)."""
        ...
