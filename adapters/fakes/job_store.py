"""The durable queue in memory, with the same claim, ordering and version rules as Mongo."""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from attrs import define, evolve, field

from adapters.fakes.feed import Feed
from adapters.job_finders import JobFinders
from application.errors import Conflict
from domain.queue_job import JobStatus, QueueJob


def _matches(job: QueueJob, where: Mapping[str, Any]) -> bool:
    for name, wanted in where.items():
        value = getattr(job, name)
        value = value.value if hasattr(value, "value") else value
        if isinstance(wanted, (list, tuple, set, frozenset)):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


@define
class InMemoryJobStore(JobFinders):  # the port's finders over find/count/delete_where
    jobs: dict[str, QueueJob] = field(factory=dict)
    workflows: dict[str, dict[str, Any]] = field(factory=dict)
    _feed: Feed[QueueJob] = field(factory=Feed)

    def _put(self, job: QueueJob) -> QueueJob:
        self.jobs[job.id] = job
        self._feed.publish(job)
        return job

    async def add_all(self, jobs: Sequence[QueueJob], workflows: Sequence[dict[str, Any]]) -> None:
        for job, workflow in zip(jobs, workflows, strict=True):
            self.workflows[job.id] = workflow
            self._put(job)

    async def get(self, job_id: str) -> QueueJob | None:
        return self.jobs.get(job_id)

    async def workflow(self, job_id: str) -> dict[str, Any]:
        return self.workflows.get(job_id, {})

    async def ready(self, now: datetime, *, per_project: int) -> list[QueueJob]:
        due = [j for j in self.jobs.values()
               if j.status is JobStatus.PENDING and (j.not_before is None or j.not_before <= now)]
        due.sort(key=lambda j: (-j.priority, j.created_at, j.id))
        taken: dict[tuple[str, str | None, str | None], int] = {}
        result = []
        for job in due:
            window = (job.project_id, job.target, job.checkpoint)
            taken[window] = taken.get(window, 0) + 1
            if taken[window] <= per_project:
                result.append(job)
        return result

    async def processing(self) -> list[QueueJob]:
        return [j for j in self.jobs.values() if j.status is JobStatus.PROCESSING]

    async def claim(self, job: QueueJob, claimed: QueueJob) -> bool:
        current = self.jobs.get(job.id)
        if current is None or current.status is not JobStatus.PENDING or current.version != job.version:
            return False
        self._put(evolve(claimed, version=job.version + 1))
        return True

    async def save(self, job: QueueJob) -> QueueJob:
        current = self.jobs.get(job.id)
        if current is None or current.version != job.version:
            raise Conflict(f"job {job.id} was changed meanwhile; reload and retry")
        return self._put(evolve(job, version=job.version + 1))

    async def report_progress(self, job_id: str, *, owner: str, progress: float, now: datetime) -> None:
        job = self.jobs.get(job_id)
        if job is not None and job.lease_owner == owner and job.status is JobStatus.PROCESSING:
            self._put(evolve(job, progress=progress, updated_at=now))

    async def set_waiting_reason(self, job_id: str, reason: str | None, *, now: datetime) -> None:
        job = self.jobs.get(job_id)
        if job is not None and job.status is JobStatus.PENDING:
            self._put(evolve(job, waiting_reason=reason, updated_at=now))

    async def renew_leases(self, job_ids: Sequence[str], *, owner: str, until: datetime) -> None:
        for job_id in job_ids:
            job = self.jobs.get(job_id)
            if job is not None and job.lease_owner == owner:  # bookkeeping: not a change for the feed
                self.jobs[job_id] = evolve(job, lease_expires_at=until)

    async def find(self, where: Mapping[str, Any], *, skip: int = 0, limit: int | None = None) -> list[QueueJob]:
        found = sorted((j for j in self.jobs.values() if _matches(j, where)),
                       key=lambda j: (j.created_at, j.id), reverse=True)
        return found[skip:] if limit is None else found[skip:skip + limit]

    async def count(self, where: Mapping[str, Any]) -> int:
        return sum(1 for j in self.jobs.values() if _matches(j, where))

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        doomed = [j.id for j in self.jobs.values() if _matches(j, where)]
        for job_id in doomed:
            del self.jobs[job_id]
            self.workflows.pop(job_id, None)
        return len(doomed)

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[QueueJob]:
        return self._feed.listen(opened=opened)
