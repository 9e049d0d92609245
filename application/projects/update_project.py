"""Rename or re-describe a project."""

from attrs import define, field, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.versions import ensure_version
from domain.aspect_ratio import AspectRatio
from domain.project import Project
from domain.validation import optional, rule_of


@frozen
class ProjectChanges:
    """Fields left out (null) keep their value; an empty description clears it."""

    name: str | None = field(default=None, validator=optional(rule_of(Project, "name")))
    description: str | None = field(default=None, validator=rule_of(Project, "description"))
    aspect_ratio: AspectRatio | None = None
    version: int | None = None


@frozen
class UpdateProject:
    project_id: str
    changes: ProjectChanges


@define
class UpdateProjectHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: UpdateProject) -> Project:
        changes = cmd.changes
        async with self.uow:
            project = await require(self.uow.projects, cmd.project_id, "Project")
            ensure_version("Project", project.version, changes.version)
            project = project.renamed(
                name=project.name if changes.name is None else changes.name,
                description=project.description if changes.description is None else changes.description or None,
                now=self.clock.now(), aspect_ratio=changes.aspect_ratio,
            )
            project = await self.uow.projects.update(project)
            self.uow.board_changed(project.id)
            await self.uow.commit()
        return project
