"""Create a project."""

from attrs import define, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.project import Project


@frozen
class CreateProject:
    name: str
    description: str | None = None


@define
class CreateProjectHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: CreateProject) -> Project:
        now = self.clock.now()
        project = Project(
            id=self.ids.new_id(), name=cmd.name, description=cmd.description,
            music_file=None, created_at=now, updated_at=now,
        )
        async with self.uow:
            await self.uow.projects.add(project)
            await self.uow.commit()
        return project
