"""Reads of clips that guard no invariant."""

from attrs import define

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.clip import Clip


@define
class GetClip:
    uow: UnitOfWork

    async def __call__(self, clip_id: str) -> Clip:
        async with self.uow.reading():
            return await require(self.uow.clips, clip_id, "Clip")


@define
class ListSceneClips:
    uow: UnitOfWork

    async def __call__(self, scene_id: str) -> list[Clip]:
        async with self.uow.reading():
            await require(self.uow.scenes, scene_id, "Scene")
            return await self.uow.clips.of_scene(scene_id)
