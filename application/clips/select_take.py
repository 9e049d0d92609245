"""Select one take of a clip's gallery (at most one selected image and one selected video)."""

from attrs import define, frozen

from application.clips.clip_rules import guarded_clip
from application.errors import NotFound
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.clip import Clip


@frozen
class SelectTake:
    clip_id: str
    content_id: str


@define
class SelectTakeHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: SelectTake) -> Clip:
        async with self.uow:
            clip = await guarded_clip(self.uow, cmd.clip_id)
            try:
                selected = clip.with_selection(cmd.content_id, now=self.clock.now())
            except LookupError:
                raise NotFound("Generated content", cmd.content_id) from None
            clip = await self.uow.clips.update(selected)
            await self.uow.commit()
        return clip
