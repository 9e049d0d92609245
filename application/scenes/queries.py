"""Reads of scenes that guard no invariant."""

from attrs import define

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.scene import Scene


@define
class GetScene:
    uow: UnitOfWork

    async def __call__(self, scene_id: str) -> Scene:
        async with self.uow.reading():
            return await require(self.uow.scenes, scene_id, "Scene")


@define
class ListProjectScenes:
    uow: UnitOfWork

    async def __call__(self, project_id: str) -> list[Scene]:
        async with self.uow.reading():
            await require(self.uow.projects, project_id, "Project")
            return await self.uow.scenes.of_project(project_id)
