"""Delete a project with everything that belongs to it, its media files and its jobs' previews included."""

from attrs import define, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.media_store import MediaStore
from application.ports.preview_store import PreviewStore
from application.ports.unit_of_work import UnitOfWork


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


@define
class DeleteProjectHandler:
    uow: UnitOfWork
    media: MediaStore
    jobs: JobStore
    previews: PreviewStore

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
        files = await self.media.delete_project(cmd.project_id)
        await self.previews.delete([job.id for job in await self.jobs.find(where)])
        return ProjectDeleted(project_id=cmd.project_id, media_files=files, **counts)
