"""Edit a scene, or move it to another position of its project's order."""

from datetime import datetime

from attrs import define, frozen

from application.errors import Conflict
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.scenes.scene_order import store_order
from application.versions import ensure_version
from domain.ordering import main_sequence, moved
from domain.scene import Scene


@frozen
class SceneChanges:
    """Fields left out (null) keep their value; `order` moves the scene and its alternates."""

    name: str | None = None
    description: str | None = None
    order: int | None = None
    version: int | None = None


@frozen
class UpdateScene:
    scene_id: str
    changes: SceneChanges


@define
class UpdateSceneHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: UpdateScene) -> Scene:
        changes, now = cmd.changes, self.clock.now()
        async with self.uow:
            scene = await require(self.uow.scenes, cmd.scene_id, "Scene")
            ensure_version("Scene", scene.version, changes.version)
            scene = await self.uow.scenes.update(scene.edited(
                name=scene.name if changes.name is None else changes.name,
                description=scene.description if changes.description is None else changes.description or None,
                now=now,
            ))
            if changes.order is not None and changes.order != scene.order:
                scene = await self._move(scene, changes.order, now)
            await self.uow.commit()
        return scene

    async def _move(self, scene: Scene, order: int, now: datetime) -> Scene:
        if scene.is_alternate:
            raise Conflict("an alternate keeps its parent's position: move the parent scene instead")
        scenes = await self.uow.scenes.find({"project_id": scene.project_id})
        await store_order(self.uow, scenes, moved(main_sequence(scenes), scene.id, order), now=now)
        return await require(self.uow.scenes, scene.id, "Scene")
