"""Cancel by scope: every waiting job of a batch, scene, project or clip cancelled, every running one interrupted."""

from typing import ClassVar

from attrs import define, field, frozen

from application.errors import NotFound
from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs
from domain.queue_job import JobStatus, QueueJob
from domain.validation import REFERENCE, ExactlyOne


@frozen
class CancelScope:
    batch_id: str | None = field(default=None, metadata=REFERENCE)
    scene_id: str | None = field(default=None, metadata=REFERENCE)
    project_id: str | None = field(default=None, metadata=REFERENCE)
    clip_id: str | None = field(default=None, metadata=REFERENCE)
    scope: ClassVar[ExactlyOne] = ExactlyOne(("batch_id", "scene_id", "project_id", "clip_id"))

    def __attrs_post_init__(self) -> None:
        self.scope.check(self)


@frozen
class ScopeCancelled:
    cancelled: int  # waiting jobs, now cancelled
    interrupting: int  # running jobs interrupted on their servers (they end cancelled when their runner sees it)
    already_finished: int  # jobs that ended on their own meanwhile
    job_ids: tuple[str, ...]


@define
class CancelScopeHandler:
    jobs: JobStore
    uow: UnitOfWork
    cancel_jobs: CancelJobs

    async def __call__(self, cmd: CancelScope) -> ScopeCancelled:
        left = await self.cancel_jobs.all_of(await self._unfinished(cmd))
        cancelled = sum(1 for job in left if job.status is JobStatus.CANCELLED)
        interrupting = sum(1 for job in left if job.status is JobStatus.PROCESSING)
        return ScopeCancelled(cancelled=cancelled, interrupting=interrupting,
                              already_finished=len(left) - cancelled - interrupting,
                              job_ids=tuple(job.id for job in left))

    async def _unfinished(self, cmd: CancelScope) -> list[QueueJob]:
        if cmd.batch_id is not None:
            batch = await self.jobs.of_batch(cmd.batch_id)
            if not batch:
                raise NotFound("Batch", cmd.batch_id)
            return [job for job in batch if not job.status.final]
        if cmd.project_id is not None:
            async with self.uow:
                await require(self.uow.projects, cmd.project_id, "Project")
            return await self.jobs.unfinished_of_project(cmd.project_id)
        if cmd.scene_id is not None:
            async with self.uow:
                await require(self.uow.scenes, cmd.scene_id, "Scene")
                clip_ids = [clip.id for clip in await self.uow.clips.of_scene(cmd.scene_id)]
            return await self.jobs.unfinished_of_clips(clip_ids)
        async with self.uow:
            await require(self.uow.clips, cmd.clip_id or "", "Clip")
        return await self.jobs.unfinished_of_clips([cmd.clip_id or ""])
