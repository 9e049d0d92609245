"""Port: the durable queue's storage, with the atomic operations workers need."""

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from attrs import frozen

from application.ports.repository import Listing
from domain.queue_job import JobStatus, QueueJob


@frozen
class JobFilter:
    """The jobs a listing shows: every field given must match."""

    status: JobStatus | None = None
    project_id: str | None = None
    clip_id: str | None = None
    batch_id: str | None = None
    server_id: str | None = None


class JobStore(Protocol):
    async def add_all(self, jobs: Sequence[QueueJob], workflows: Sequence[dict[str, Any]]) -> None:
        """Store jobs with their composed workflows (kept apart: the scheduler never reads them)."""
        ...

    async def get(self, job_id: str) -> QueueJob | None: ...

    async def workflow(self, job_id: str) -> dict[str, Any]: ...

    async def ready(self, now: datetime, *, per_project: int) -> list[QueueJob]:
        """Pending jobs due by `now`: the first `per_project` of every project, target and checkpoint by priority,
        then age (a project's ComfyUI jobs and its jobs for each video provider are windowed apart, so none starves
        another; so are its checkpoints, so a server holding one sees that one's jobs however far back they wait)."""
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

    # Named finders: lists are newest first.
    async def unfinished_of_project(self, project_id: str) -> list[QueueJob]:
        """Waiting or running."""
        ...

    async def unfinished_of_clips(self, clip_ids: Sequence[str]) -> list[QueueJob]: ...

    async def unfinished_of_target(self, target: str) -> list[QueueJob]: ...

    async def active(self, project_id: str | None = None, *, limit: int) -> list[QueueJob]:
        """Pending or processing, of one project or all."""
        ...

    async def of_project(self, project_id: str) -> list[QueueJob]: ...

    async def of_batch(self, batch_id: str) -> list[QueueJob]: ...

    async def finished(self, project_id: str | None = None) -> list[QueueJob]:
        """Completed, failed or cancelled, of one project or all."""
        ...

    def listed(self, job_filter: JobFilter) -> Listing[QueueJob]: ...

    async def delete_finished(self, job_ids: Sequence[str]) -> int:
        """Delete those of `job_ids` still finished (a job retried meanwhile stays), with their workflows."""
        ...

    async def delete_of_project(self, project_id: str) -> int: ...

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[QueueJob]:
        """Every job as it changes, by any API instance, once the feed is open; `opened` is called then. A change
        moves the job's `version` or `updated_at`: bookkeeping that moves neither (a lease renewal, the
        webhook's `announced` mark) is not relayed.

        A write made after `opened` returned is never missed (one made before may be delivered too).
        """
        ...
