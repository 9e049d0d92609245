"""Edit a clip's text, length or character."""

from attrs import asdict, define, evolve, field, frozen

from application.clips.clip_rules import (
    ensure_character_usable,
    ensure_fits,
    guarded_clip,
)
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from application.versions import ensure_version
from domain.clip import Clip
from domain.validation import CLEARABLE_REFERENCE, optional, rule_of


@frozen
class ClipChanges:
    """Fields left out (null) keep their value; an empty `lyrics` or `character_id` clears it."""

    name: str | None = field(default=None, validator=optional(rule_of(Clip, "name")))
    lyrics: str | None = field(default=None, validator=rule_of(Clip, "lyrics"))
    image_prompt: str | None = field(default=None, validator=optional(rule_of(Clip, "image_prompt")))
    video_prompt: str | None = field(default=None, validator=optional(rule_of(Clip, "video_prompt")))
    length: float | None = field(default=None, validator=optional(rule_of(Clip, "length")))
    character_id: str | None = field(default=None, metadata=CLEARABLE_REFERENCE)
    version: int | None = None

    def as_updates(self) -> dict[str, object]:
        """The clip fields to set."""
        updates = {name: value for name, value in asdict(self).items() if value is not None and name != "version"}
        for clearable in ("lyrics", "character_id"):
            if updates.get(clearable) == "":
                updates[clearable] = None
        return updates


@frozen
class UpdateClip:
    clip_id: str
    changes: ClipChanges


@define
class UpdateClipHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: UpdateClip) -> Clip:
        async with self.uow:
            clip = await self._clip(cmd)
            ensure_version("Clip", clip.version, cmd.changes.version)
            edited = evolve(clip, **cmd.changes.as_updates(), updated_at=self.clock.now())
            if edited.character_id != clip.character_id:
                await ensure_character_usable(self.uow, edited.character_id, edited.project_id)
            if edited.length != clip.length:
                await ensure_fits(self.uow, edited)
            clip = await self.uow.clips.update(edited)
            await self.uow.commit()
        return clip

    async def _clip(self, cmd: UpdateClip) -> Clip:
        """Guarded by its scene when the edit meets a rule across documents (its length on the timeline, its
        character); a text edit is guarded by the clip's own version alone, so it races no other clip's edit."""
        if cmd.changes.length is not None or cmd.changes.character_id is not None:
            return await guarded_clip(self.uow, cmd.clip_id)
        clip = await require(self.uow.clips, cmd.clip_id, "Clip")
        self.uow.board_changed(clip.project_id)
        return clip
