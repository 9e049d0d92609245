"""Create an alternate take of a clip: same slot on the timeline, the next alternate number."""

from attrs import define, evolve, field, frozen

from application.clips.clip_rules import guarded_clip
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.alternates import next_alternate_number
from domain.clip import Clip
from domain.validation import optional, rule_of


@frozen
class CreateClipAlternate:
    clip_id: str
    name: str | None = field(default=None, validator=optional(rule_of(Clip, "name")))


@define
class CreateClipAlternateHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    @retried_on_lost_race
    async def __call__(self, cmd: CreateClipAlternate) -> Clip:
        now = self.clock.now()
        async with self.uow:
            source = await guarded_clip(self.uow, cmd.clip_id)
            parent = await require(self.uow.clips, source.parent_clip_id, "Clip") if source.is_alternate else source
            number = next_alternate_number(await self.uow.clips.alternates_of(parent.id))
            alternate = evolve(
                source, id=self.ids.new_id(), parent_clip_id=parent.id, alternate_number=number,
                timeline_position=parent.timeline_position, length=parent.length,
                name=cmd.name or f"{source.name} (alt {number})"[:200],
                generated_images=(), generated_videos=(), created_at=now, updated_at=now, version=1,
            )
            await self.uow.clips.add(alternate)
            await self.uow.commit()
        return alternate
