"""Remove a project's music: the file and the project's music fields."""

from attrs import define, frozen

from application.errors import NotFound
from application.lookups import require
from application.ports.clock import Clock
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork
from domain.project import Project


@frozen
class RemoveMusic:
    project_id: str


@define
class RemoveMusicHandler:
    uow: UnitOfWork
    media: MediaStore
    clock: Clock

    async def __call__(self, cmd: RemoveMusic) -> Project:
        async with self.uow:
            project = await require(self.uow.projects, cmd.project_id, "Project")
            if project.music is None and project.music_file is None:
                raise NotFound("Music of project", cmd.project_id)
            updated = await self.uow.projects.update(project.without_music(now=self.clock.now()))
            self.uow.board_changed(cmd.project_id)
            await self.uow.commit()
        if project.music_file is not None:
            await self.media.delete(project.music_file)
        return updated
