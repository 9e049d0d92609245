"""Delete a clip; its alternates are deleted or promoted, as asked."""

from attrs import define, evolve, frozen

from application.alternates_policy import AlternatesOnDelete
from application.clips.clip_rules import ensure_fits
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.alternates import promoted, renumbered


@frozen
class DeleteClip:
    clip_id: str
    alternates: AlternatesOnDelete = AlternatesOnDelete.DELETE


@frozen
class ClipsDeleted:
    clip_ids: tuple[str, ...]


@define
class DeleteClipHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: DeleteClip) -> ClipsDeleted:
        now = self.clock.now()
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            family = await self.uow.clips.find({"parent_clip_id": clip.parent_clip_id or clip.id})
            doomed = [clip.id]
            if clip.is_alternate:
                changed = renumbered([c for c in family if c.id != clip.id])
            elif cmd.alternates is AlternatesOnDelete.PROMOTE:
                changed = promoted(family, parent_field="parent_clip_id")
                await self.uow.clips.delete(clip.id)
                if changed:
                    await ensure_fits(self.uow, changed[0])
            else:
                changed, doomed = [], doomed + [c.id for c in family]
            await self.uow.clips.update_all([evolve(c, updated_at=now) for c in changed])
            await self.uow.clips.delete_where({"id": doomed})
            await self.uow.commit()
        return ClipsDeleted(clip_ids=tuple(doomed))
