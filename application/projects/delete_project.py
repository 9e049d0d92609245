"""Delete a project with everything that belongs to it."""

from attrs import define, frozen

from application.lookups import require
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


@define
class DeleteProjectHandler:
    uow: UnitOfWork

    async def __call__(self, cmd: DeleteProject) -> ProjectDeleted:
        where = {"project_id": cmd.project_id}
        async with self.uow:
            await require(self.uow.projects, cmd.project_id, "Project")
            deleted = ProjectDeleted(
                project_id=cmd.project_id,
                clips=await self.uow.clips.delete_where(where),
                scenes=await self.uow.scenes.delete_where(where),
                characters=await self.uow.characters.delete_where(where),
                templates=await self.uow.templates.delete_where(where),
            )
            await self.uow.projects.delete(cmd.project_id)
            await self.uow.commit()
        return deleted
