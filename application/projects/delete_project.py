"""Delete a project with everything that belongs to it: its jobs are stopped and removed, then its media folder."""

from attrs import define, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.media_store import MediaStore
from application.ports.preview_store import PreviewStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs


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
        where = {"project_id": cmd.project_id}
        async with self.uow:
            await require(self.uow.projects, cmd.project_id, "Project")
            counts = dict(
                clips=await self.uow.clips.delete_where(where),
                scenes=await self.uow.scenes.delete_where(where),
                characters=await self.uow.characters.delete_where(where),
                templates=await self.uow.templates.delete_where(where),
            )
            await self.uow.projects.delete(cmd.project_id)
            await self.uow.commit()
        # Board first (no new job can name its clips), then the jobs (a runner finds its job gone and stores
        # nothing), then the files.
        cancelled = await self.cancel_jobs.of_project(cmd.project_id)
        await self.previews.delete([job.id for job in await self.jobs.find(where)])
        jobs = await self.jobs.delete(where)
        files = await self.media.delete_project(cmd.project_id)
        return ProjectDeleted(project_id=cmd.project_id, media_files=files, jobs=jobs, jobs_cancelled=len(cancelled),
                              **counts)
