"""Edit a scene, or move it to another position of its project's order."""

from datetime import datetime

from attrs import define, field, frozen

from application.errors import Conflict
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.scenes.scene_order import ensure_position, guarded_scene, store_order
from application.versions import ensure_version
from domain.ordering import main_sequence, moved
from domain.scene import Scene
from domain.validation import optional, rule_of


@frozen
class SceneChanges:
    """Fields left out (null) keep their value; `order` moves the scene and its alternates."""

    name: str | None = field(default=None, validator=optional(rule_of(Scene, "name")))
    description: str | None = field(default=None, validator=rule_of(Scene, "description"))
    order: int | None = field(default=None, validator=optional(rule_of(Scene, "order")))  # past the end: last
    version: int | None = None


@frozen
class UpdateScene:
    scene_id: str
    changes: SceneChanges


@define
class UpdateSceneHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: UpdateScene) -> Scene:
        changes, now = cmd.changes, self.clock.now()
        ensure_position(changes.order)
        async with self.uow:
            scene = await guarded_scene(self.uow, cmd.scene_id)
            ensure_version("Scene", scene.version, changes.version)
            edited = scene.edited(
                name=scene.name if changes.name is None else changes.name,
                description=scene.description if changes.description is None else changes.description or None,
                now=now,
            )
            if changes.order is not None and changes.order != scene.order:
                scene = await self._move(edited, changes.order, now)
            else:
                scene = await self.uow.scenes.update(edited)
            await self.uow.commit()
        return scene

    async def _move(self, edited: Scene, order: int, now: datetime) -> Scene:
        """Store the edit and the new order of every scene in one write."""
        if edited.is_alternate:
            raise Conflict("an alternate keeps its parent's position: move the parent scene instead")
        scenes = [edited if s.id == edited.id else s for s in await self.uow.scenes.of_project(edited.project_id)]
        saved = await store_order(self.uow, scenes, moved(main_sequence(scenes), edited.id, order), now=now)
        moved_scene = next((s for s in saved if s.id == edited.id), None)
        return moved_scene or await self.uow.scenes.update(edited)  # asked past the end: it stays where it is
