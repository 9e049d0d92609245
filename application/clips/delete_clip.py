"""Delete a clip; its alternates are deleted or promoted, as asked; the deleted clips' jobs and files go too."""

from attrs import define, evolve, frozen

from application.alternates_policy import AlternatesOnDelete
from application.clips.clip_rules import ensure_fits, guarded_clip
from application.clips.take_files import delete_take_files
from application.ports.clock import Clock
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs
from application.retries import retried_on_lost_race
from domain.alternates import promoted, renumbered


@frozen
class DeleteClip:
    clip_id: str
    alternates: AlternatesOnDelete = AlternatesOnDelete.DELETE


@frozen
class ClipsDeleted:
    clip_ids: tuple[str, ...]
    jobs_cancelled: int = 0
    files: int = 0  # the takes' files deleted


@define
class DeleteClipHandler:
    uow: UnitOfWork
    clock: Clock
    media: MediaStore
    cancel_jobs: CancelJobs

    @retried_on_lost_race
    async def __call__(self, cmd: DeleteClip) -> ClipsDeleted:
        now = self.clock.now()
        async with self.uow:
            clip = await guarded_clip(self.uow, cmd.clip_id)
            family = await self.uow.clips.alternates_of(clip.parent_clip_id or clip.id)
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
            await self.uow.clips.delete_all(doomed)
            await self.uow.commit()
        cancelled = await self.cancel_jobs.of_clips(doomed)
        files = await delete_take_files(self.media, [c for c in (clip, *family) if c.id in doomed])
        return ClipsDeleted(clip_ids=tuple(doomed), jobs_cancelled=len(cancelled), files=files)
