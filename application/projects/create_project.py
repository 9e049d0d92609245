"""Create a project."""

from attrs import define, field, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.aspect_ratio import AspectRatio
from domain.project import Project
from domain.validation import rule_of


@frozen
class CreateProject:
    name: str = field(validator=rule_of(Project, "name"))
    description: str | None = field(default=None, validator=rule_of(Project, "description"))
    aspect_ratio: AspectRatio = AspectRatio.WIDE


@define
class CreateProjectHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: CreateProject) -> Project:
        now = self.clock.now()
        project = Project(
            id=self.ids.new_id(), name=cmd.name, description=cmd.description,
            music_file=None, created_at=now, updated_at=now, aspect_ratio=cmd.aspect_ratio,
        )
        async with self.uow:
            await self.uow.projects.add(project)
            self.uow.board_changed(project.id)  # board version 1: every project document carries one
            await self.uow.commit()
        return project
