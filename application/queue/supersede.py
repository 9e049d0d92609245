"""Supersede: a new job for a clip cancels that clip's earlier waiting jobs of the same kind."""

from attrs import define, evolve

from application.errors import Conflict
from application.ports.clock import Clock
from application.ports.job_store import JobStore
from domain.queue_job import JobStatus, QueueJob


@define
class SupersedeEarlier:
    jobs: JobStore
    clock: Clock

    async def __call__(self, newer: QueueJob) -> list[QueueJob]:
        """The jobs cancelled: waiting ones only (a running one is left to finish; a job claimed meanwhile too)."""
        earlier = [job for job in await self.jobs.unfinished_of_clips([newer.clip_id])
                   if job.id != newer.id and job.kind is newer.kind and job.created_at <= newer.created_at]
        cancelled = [await self._cancel(job, newer.id) for job in earlier]
        return [job for job in cancelled if job is not None]

    async def _cancel(self, job: QueueJob, newer_id: str) -> QueueJob | None:
        for _ in range(3):
            if job.status is not JobStatus.PENDING:
                return None
            try:
                return await self.jobs.save(evolve(job.cancelled(now=self.clock.now()),
                                                   error_message=f"superseded by job {newer_id}"))
            except Conflict:
                current = await self.jobs.get(job.id)
                if current is None:
                    return None
                job = current
        return None
