"""Insert a scene into a project's order (at the end unless a position is given)."""

from attrs import define, field, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.scenes.scene_order import ensure_position, store_order
from domain.ordering import inserted, main_sequence, positions
from domain.scene import Scene
from domain.validation import optional, rule_of


@frozen
class CreateScene:
    project_id: str
    name: str = field(validator=rule_of(Scene, "name"))
    description: str | None = field(default=None, validator=rule_of(Scene, "description"))
    order: int | None = field(default=None, validator=optional(rule_of(Scene, "order")))  # past the end: last


@define
class CreateSceneHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    @retried_on_lost_race
    async def __call__(self, cmd: CreateScene) -> Scene:
        ensure_position(cmd.order)
        now = self.clock.now()
        scene_id = self.ids.new_id()
        async with self.uow:
            await self.uow.guard(await require(self.uow.projects, cmd.project_id, "Project"))
            scenes = await self.uow.scenes.of_project(cmd.project_id)
            sequence = inserted(main_sequence(scenes), scene_id, cmd.order)
            scene = Scene(
                id=scene_id, project_id=cmd.project_id, name=cmd.name, description=cmd.description,
                order=positions(sequence)[scene_id], created_at=now, updated_at=now,
            )
            await store_order(self.uow, scenes, sequence, now=now)
            await self.uow.scenes.add(scene)
            await self.uow.commit()
        return scene
