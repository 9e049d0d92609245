"""Delete a project with everything that belongs to it: its jobs are stopped and removed, then its media folder."""

from attrs import define, frozen

from application.clips.clip_rules import guard_scenes
from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.media_store import MediaStore
from application.ports.preview_store import PreviewStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs
from application.retries import retried_on_lost_race


@frozen
class DeleteProject:
    project_id: str


@frozen
class ProjectDeleted:
    project_id: str
    scenes: int
    clips: int
    characters: int
    templates: int
    media_files: int = 0
    jobs: int = 0  # queue jobs removed
    jobs_cancelled: int = 0  # of them, waiting or running when the project was deleted


@define
class DeleteProjectHandler:
    uow: UnitOfWork
    media: MediaStore
    jobs: JobStore
    previews: PreviewStore
    cancel_jobs: CancelJobs

    async def __call__(self, cmd: DeleteProject) -> ProjectDeleted:
        counts = await self._delete_board(cmd.project_id)
        # Board first (no new job can name its clips), then the jobs (a runner finds its job gone and stores
        # nothing), then the files.
        cancelled = await self.cancel_jobs.of_project(cmd.project_id)
        await self.previews.delete([job.id for job in await self.jobs.of_project(cmd.project_id)])
        jobs = await self.jobs.delete_of_project(cmd.project_id)
        files = await self.media.delete_project(cmd.project_id)
        return ProjectDeleted(project_id=cmd.project_id, media_files=files, jobs=jobs, jobs_cancelled=len(cancelled),
                              **counts)

    @retried_on_lost_race
    async def _delete_board(self, project_id: str) -> dict[str, int]:
        """Guarded as a project (its scene order) and as its scenes (their clips): a concurrent insert conflicts."""
        async with self.uow:
            await self.uow.guard(await require(self.uow.projects, project_id, "Project"))
            await guard_scenes(self.uow, [scene.id for scene in await self.uow.scenes.of_project(project_id)])
            counts = dict(
                clips=await self.uow.clips.delete_of_project(project_id),
                scenes=await self.uow.scenes.delete_of_project(project_id),
                characters=await self.uow.characters.delete_of_project(project_id),
                templates=await self.uow.templates.delete_of_project(project_id),
            )
            await self.uow.projects.delete(project_id)
            await self.uow.commit()
        return counts
