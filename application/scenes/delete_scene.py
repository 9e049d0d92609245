"""Delete a scene and its clips; its alternates are deleted or promoted, as asked."""

from datetime import datetime

from attrs import define, evolve, frozen

from application.alternates_policy import AlternatesOnDelete
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.scenes.scene_order import store_order
from domain.alternates import promoted, renumbered
from domain.ordering import main_sequence
from domain.scene import Scene


@frozen
class DeleteScene:
    scene_id: str
    alternates: AlternatesOnDelete = AlternatesOnDelete.DELETE


@frozen
class ScenesDeleted:
    scene_ids: tuple[str, ...]
    clips: int


@define
class DeleteSceneHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: DeleteScene) -> ScenesDeleted:
        now = self.clock.now()
        async with self.uow:
            scene = await require(self.uow.scenes, cmd.scene_id, "Scene")
            family = await self.uow.scenes.find({"parent_scene_id": scene.parent_scene_id or scene.id})
            doomed = [scene.id]
            if scene.is_alternate:
                await self.uow.scenes.update_all(_stamped(renumbered([s for s in family if s.id != scene.id]), now))
            elif cmd.alternates is AlternatesOnDelete.PROMOTE:
                await self.uow.scenes.update_all(_stamped(promoted(family, parent_field="parent_scene_id"), now))
            else:
                doomed += [s.id for s in family]
            clips = await self.uow.clips.delete_where({"scene_id": doomed})
            for scene_id in doomed:
                await self.uow.scenes.delete(scene_id)
            remaining = await self.uow.scenes.find({"project_id": scene.project_id})
            await store_order(self.uow, remaining, main_sequence(remaining), now=now)
            await self.uow.commit()
        return ScenesDeleted(scene_ids=tuple(doomed), clips=clips)


def _stamped(scenes: list[Scene], now: datetime) -> list[Scene]:
    return [evolve(scene, updated_at=now) for scene in scenes]
