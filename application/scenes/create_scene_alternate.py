"""Create an alternate of a scene: same slot, next alternate number, its clips copied without takes."""

from attrs import define, evolve, field, frozen

from application.clips.clip_copies import copied_clips
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.scenes.scene_order import guarded_scene
from domain.alternates import next_alternate_number
from domain.scene import Scene
from domain.validation import optional, rule_of


@frozen
class CreateSceneAlternate:
    scene_id: str
    name: str | None = field(default=None, validator=optional(rule_of(Scene, "name")))
    copy_clips: bool = True


@define
class CreateSceneAlternateHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    @retried_on_lost_race
    async def __call__(self, cmd: CreateSceneAlternate) -> Scene:
        now = self.clock.now()
        async with self.uow:
            source = await guarded_scene(self.uow, cmd.scene_id)
            parent_id = source.parent_scene_id or source.id
            siblings = await self.uow.scenes.alternates_of(parent_id)
            number = next_alternate_number(siblings)
            alternate = evolve(
                source, id=self.ids.new_id(), parent_scene_id=parent_id, alternate_number=number,
                name=cmd.name or f"{source.name} (alt {number})"[:200],
                created_at=now, updated_at=now, version=1,
            )
            await self.uow.scenes.add(alternate)
            if cmd.copy_clips:
                await self.uow.guard(source)  # its clips hold still while they are copied
                clips = await self.uow.clips.of_scene(source.id)
                await self.uow.clips.add_all(copied_clips(clips, scene_id=alternate.id, ids=self.ids, now=now))
            await self.uow.commit()
        return alternate
