"""The job store's named finders, written once over a store's field-equality `find`, `count` and `delete_where`."""

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Protocol

from adapters.where_rows import WhereListing
from application.ports.job_store import JobFilter
from domain.queue_job import JobStatus, QueueJob

UNFINISHED = [JobStatus.PENDING.value, JobStatus.PROCESSING.value]
FINISHED = [status.value for status in JobStatus if status.final]


class JobRows(Protocol):
    """Jobs matching field equality (a sequence means 'any of'), newest first."""

    async def find(self, where: Mapping[str, Any], *, skip: int = 0, limit: int | None = None) -> list[QueueJob]: ...

    async def count(self, where: Mapping[str, Any]) -> int: ...

    async def delete_where(self, where: Mapping[str, Any]) -> int: ...


def _scope(project_id: str | None) -> dict[str, Any]:
    return {} if project_id is None else {"project_id": project_id}


class JobFinders:
    """Mixed into a job store that is `JobRows`."""

    async def unfinished_of_project(self: JobRows, project_id: str) -> list[QueueJob]:
        return await self.find({"project_id": project_id, "status": UNFINISHED})

    async def unfinished_of_clips(self: JobRows, clip_ids: Sequence[str]) -> list[QueueJob]:
        return await self.find({"clip_id": list(clip_ids), "status": UNFINISHED}) if clip_ids else []

    async def unfinished_of_target(self: JobRows, target: str) -> list[QueueJob]:
        return await self.find({"target": target, "status": UNFINISHED})

    async def active(self: JobRows, project_id: str | None = None, *, limit: int) -> list[QueueJob]:
        return await self.find({"status": UNFINISHED, **_scope(project_id)}, limit=limit)

    async def of_project(self: JobRows, project_id: str) -> list[QueueJob]:
        return await self.find({"project_id": project_id})

    async def of_batch(self: JobRows, batch_id: str) -> list[QueueJob]:
        return await self.find({"batch_id": batch_id})

    async def finished(self: JobRows, project_id: str | None = None) -> list[QueueJob]:
        return await self.find({"status": FINISHED, **_scope(project_id)})

    def listed(self: JobRows, job_filter: JobFilter) -> WhereListing[QueueJob]:
        where = _where(job_filter)
        return WhereListing(partial(self.find, where), partial(self.count, where))

    async def delete_finished(self: JobRows, job_ids: Sequence[str]) -> int:
        return await self.delete_where({"id": list(job_ids), "status": FINISHED}) if job_ids else 0

    async def delete_of_project(self: JobRows, project_id: str) -> int:
        return await self.delete_where({"project_id": project_id})


def _where(job_filter: JobFilter) -> dict[str, Any]:
    chosen = {"status": job_filter.status.value if job_filter.status else None, "project_id": job_filter.project_id,
              "clip_id": job_filter.clip_id, "batch_id": job_filter.batch_id, "server_id": job_filter.server_id}
    return {name: value for name, value in chosen.items() if value is not None}
