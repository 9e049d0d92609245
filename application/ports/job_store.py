"""Port: the durable queue's storage, with the atomic operations workers need."""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.queue_job import QueueJob


class JobStore(Protocol):
    async def add_all(self, jobs: Sequence[QueueJob], workflows: Sequence[dict[str, Any]]) -> None:
        """Store jobs with their composed workflows (kept apart: the scheduler never reads them)."""
        ...

    async def get(self, job_id: str) -> QueueJob | None: ...

    async def workflow(self, job_id: str) -> dict[str, Any]: ...

    async def ready(self, now: datetime, *, per_project: int) -> list[QueueJob]:
        """Pending jobs due by `now`: the first `per_project` of every project and target by priority, then age
        (a project's ComfyUI jobs and its jobs for each video provider are windowed apart, so none starves another)."""
        ...

    async def processing(self) -> list[QueueJob]: ...

    async def claim(self, job: QueueJob, claimed: QueueJob) -> bool:
        """Atomically replace `job` by `claimed` if it is still pending at its version (one winner)."""
        ...

    async def save(self, job: QueueJob) -> QueueJob:
        """Version-guarded write; returns the job at version+1; raises Conflict if it changed meanwhile."""
        ...

    async def report_progress(self, job_id: str, *, owner: str, progress: float, now: datetime) -> None:
        """Record progress of a job `owner` runs (not a guarded change: the version stays)."""
        ...

    async def set_waiting_reason(self, job_id: str, reason: str | None, *, now: datetime) -> None:
        """Say why a pending job waits (None: a server can take it); not a guarded change: the version stays."""
        ...

    async def renew_leases(self, job_ids: Sequence[str], *, owner: str, until: datetime) -> None: ...

    async def find(self, where: Mapping[str, Any], *, skip: int = 0, limit: int | None = None) -> list[QueueJob]:
        """Jobs matching field equality (a sequence means 'any of'), newest first."""
        ...

    async def count(self, where: Mapping[str, Any]) -> int: ...

    async def delete(self, where: Mapping[str, Any]) -> int: ...

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[QueueJob]:
        """Every job as it is written, by any API instance, once the feed is open; `opened` is called then.

        A write made after `opened` returned is never missed (one made before may be delivered too).
        """
        ...
