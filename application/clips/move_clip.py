"""Move a clip on the timeline, possibly into another scene of its project; its alternates come along."""

from datetime import datetime

from attrs import define, evolve, field, frozen

from application.clips.clip_rules import ensure_fits, guarded_clip
from application.errors import Conflict
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.clip import Clip
from domain.validation import rule_of


@frozen
class MoveClip:
    clip_id: str
    timeline_position: float = field(validator=rule_of(Clip, "timeline_position"))
    scene_id: str | None = None


@define
class MoveClipHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: MoveClip) -> Clip:
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            scene_id = clip.scene_id if cmd.scene_id is None else cmd.scene_id
            target = await require(self.uow.scenes, scene_id, "Scene")
            if target.project_id != clip.project_id:
                raise Conflict("a clip can only move to a scene of its own project")
            if clip.is_alternate and scene_id != clip.scene_id:
                raise Conflict("an alternate stays in its parent's scene: move the parent clip instead")
            clip = await guarded_clip(self.uow, clip.id, scene_id)  # the scene it leaves and the one it enters
            now = self.clock.now()
            moved = evolve(clip, scene_id=scene_id, timeline_position=cmd.timeline_position, updated_at=now)
            await ensure_fits(self.uow, moved)
            if not clip.is_alternate:
                await self._bring_alternates(moved, shift=moved.timeline_position - clip.timeline_position, now=now)
            clip = await self.uow.clips.update(moved)
            await self.uow.commit()
        return clip

    async def _bring_alternates(self, parent: Clip, *, shift: float, now: datetime) -> None:
        """Alternates keep their offset from the parent (never before 0) and follow it across scenes."""
        alternates = await self.uow.clips.alternates_of(parent.id)
        await self.uow.clips.update_all([
            evolve(alt, scene_id=parent.scene_id, timeline_position=max(alt.timeline_position + shift, 0.0),
                   updated_at=now)
            for alt in alternates
        ])
