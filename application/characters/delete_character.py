"""Delete a character; the clips that used it keep their prompts and lose the link."""

from attrs import define, evolve, frozen

from application.clips.clip_rules import guard_scenes
from application.errors import ConcurrentChange
from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race


@frozen
class DeleteCharacter:
    character_id: str


@frozen
class CharacterDeleted:
    character_id: str
    clips_unlinked: int


@define
class DeleteCharacterHandler:
    uow: UnitOfWork
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: DeleteCharacter) -> CharacterDeleted:
        now = self.clock.now()
        async with self.uow:
            await require(self.uow.characters, cmd.character_id, "Character")
            scenes = {c.scene_id for c in await self.uow.clips.using_character(cmd.character_id)}
            await guard_scenes(self.uow, scenes)  # the clips it unlinks are their scenes' to change
            users = await self.uow.clips.using_character(cmd.character_id)
            if any(c.scene_id not in scenes for c in users):
                raise ConcurrentChange("a clip took this character meanwhile")
            await self.uow.clips.update_all([evolve(c, character_id=None, updated_at=now) for c in users])
            await self.uow.characters.delete(cmd.character_id)
            await self.uow.commit()
        return CharacterDeleted(character_id=cmd.character_id, clips_unlinked=len(users))
