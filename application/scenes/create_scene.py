"""Insert a scene into a project's order (at the end unless a position is given)."""

from attrs import define, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.scenes.scene_order import ensure_position, store_order
from domain.ordering import inserted, main_sequence, positions
from domain.scene import Scene


@frozen
class CreateScene:
    project_id: str
    name: str
    description: str | None = None
    order: int | None = None


@define
class CreateSceneHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: CreateScene) -> Scene:
        ensure_position(cmd.order)
        now = self.clock.now()
        scene_id = self.ids.new_id()
        async with self.uow:
            await require(self.uow.projects, cmd.project_id, "Project")
            scenes = await self.uow.scenes.find({"project_id": cmd.project_id})
            sequence = inserted(main_sequence(scenes), scene_id, cmd.order)
            scene = Scene(
                id=scene_id, project_id=cmd.project_id, name=cmd.name, description=cmd.description,
                order=positions(sequence)[scene_id], created_at=now, updated_at=now,
            )
            await store_order(self.uow, scenes, sequence, now=now)
            await self.uow.scenes.add(scene)
            await self.uow.commit()
        return scene
