"""Delete one take of a clip's gallery, its file with it; a deleted selected take hands the selection on."""

from attrs import define, frozen

from application.clips.clip_rules import guarded_clip
from application.errors import NotFound
from application.ports.clock import Clock
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork
from domain.clip import Clip


@frozen
class DeleteTake:
    clip_id: str
    content_id: str


@define
class DeleteTakeHandler:
    """If the take was selected, the newest remaining take of its kind becomes the selected one."""

    uow: UnitOfWork
    media: MediaStore
    clock: Clock

    async def __call__(self, cmd: DeleteTake) -> Clip:
        async with self.uow:
            clip = await guarded_clip(self.uow, cmd.clip_id)  # a take is part of its scene's aggregate
            try:
                changed, removed = clip.without_content(cmd.content_id, now=self.clock.now())
            except LookupError:
                raise NotFound("Generated content", cmd.content_id) from None
            clip = await self.uow.clips.update(changed)
            await self.uow.commit()
        for path in (removed.path, removed.poster_path):  # a provider's video comes with its poster
            if path is not None:
                await self.media.delete(path)
        return clip
