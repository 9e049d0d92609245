"""Move a clip on the timeline, possibly into another scene of its project."""

from attrs import define, evolve, frozen

from application.clips.clip_rules import ensure_fits
from application.errors import Conflict
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.clip import Clip


@frozen
class MoveClip:
    clip_id: str
    timeline_position: float
    scene_id: str | None = None


@define
class MoveClipHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: MoveClip) -> Clip:
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            scene_id = cmd.scene_id or clip.scene_id
            target = await require(self.uow.scenes, scene_id, "Scene")
            if target.project_id != clip.project_id:
                raise Conflict("a clip can only move to a scene of its own project")
            moved = evolve(clip, scene_id=scene_id, timeline_position=cmd.timeline_position,
                           updated_at=self.clock.now())
            await ensure_fits(self.uow, moved)
            clip = await self.uow.clips.update(moved)
            await self.uow.commit()
        return clip
