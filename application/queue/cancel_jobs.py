"""Cancel every unfinished job of a deleted project, of deleted clips or of a removed video provider, through the
one cancel path."""

from collections.abc import Sequence

from attrs import define

from application.errors import Conflict
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.job_store import JobStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.control_job import CancelJobHandler
from domain.queue_job import QueueJob

ATTEMPTS = 5


@define
class CancelJobs:
    """Waiting jobs are cancelled at once, running ones interrupted on their servers, before this returns.

    Returns the jobs as left: cancelled, or still processing with `cancel_requested` until their runner
    sees the interrupt. A job that ended meanwhile is left as it ended.
    """

    jobs: JobStore
    backend: GenerationBackend
    uow: UnitOfWork
    clock: Clock

    async def of_project(self, project_id: str) -> list[QueueJob]:
        return await self._cancel_all(await self.jobs.unfinished_of_project(project_id))

    async def of_clips(self, clip_ids: Sequence[str]) -> list[QueueJob]:
        if not clip_ids:
            return []
        return await self._cancel_all(await self.jobs.unfinished_of_clips(clip_ids))

    async def of_target(self, target: str) -> list[QueueJob]:
        """The jobs bound to one video provider (`provider:<id>`), before it is unregistered."""
        return await self._cancel_all(await self.jobs.unfinished_of_target(target))

    async def all_of(self, unfinished: list[QueueJob]) -> list[QueueJob]:
        """The jobs given, through the one cancel path (cancel by scope)."""
        return await self._cancel_all(unfinished)

    async def _cancel_all(self, unfinished: list[QueueJob]) -> list[QueueJob]:
        one = CancelJobHandler(self.jobs, self.backend, self.uow, self.clock)
        return [await self._cancel(one, job) for job in unfinished]

    async def _cancel(self, one: CancelJobHandler, job: QueueJob) -> QueueJob:
        """Read again and retry when a dispatcher claimed the job (or its runner moved it) meanwhile."""
        for _ in range(ATTEMPTS):
            try:
                return await one.cancel(job)
            except Conflict:
                current = await self.jobs.get(job.id)
                if current is None or current.status.final:
                    return current or job
                job = current
        return job  # still moving: the runner's own check discards whatever it brings back
