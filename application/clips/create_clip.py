"""Place a new clip on a scene's timeline (after the last clip unless a position is given)."""

from attrs import define, field, frozen

from application.clips.clip_rules import ensure_character_usable, ensure_fits
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.clip import Clip
from domain.validation import optional, rule_of


@frozen
class CreateClip:
    scene_id: str
    name: str = field(validator=rule_of(Clip, "name"))
    length: float = field(default=5.0, validator=rule_of(Clip, "length"))
    timeline_position: float | None = field(default=None, validator=optional(rule_of(Clip, "timeline_position")))
    lyrics: str | None = field(default=None, validator=rule_of(Clip, "lyrics"))
    image_prompt: str = field(default="", validator=rule_of(Clip, "image_prompt"))
    video_prompt: str = field(default="", validator=rule_of(Clip, "video_prompt"))
    character_id: str | None = None


@define
class CreateClipHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    @retried_on_lost_race
    async def __call__(self, cmd: CreateClip) -> Clip:
        now = self.clock.now()
        async with self.uow:
            scene = await require(self.uow.scenes, cmd.scene_id, "Scene")
            await self.uow.guard(scene)
            position = cmd.timeline_position
            if position is None:
                main_clips = await self.uow.clips.main_of_scene(scene.id)
                position = max((c.end for c in main_clips), default=0.0)
            clip = Clip(
                id=self.ids.new_id(), scene_id=scene.id, project_id=scene.project_id, name=cmd.name,
                timeline_position=position, length=cmd.length, lyrics=cmd.lyrics,
                image_prompt=cmd.image_prompt, video_prompt=cmd.video_prompt,
                character_id=cmd.character_id, created_at=now, updated_at=now,
            )
            await ensure_character_usable(self.uow, clip.character_id, clip.project_id)
            await ensure_fits(self.uow, clip)
            await self.uow.clips.add(clip)
            await self.uow.commit()
        return clip
