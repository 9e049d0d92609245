"""Edit a character."""

from attrs import asdict, define, evolve, field, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.versions import ensure_version
from domain.character import Character
from domain.validation import optional, rule_of


@frozen
class CharacterChanges:
    """Fields left out (null) keep their value; an empty `lora` clears it."""

    name: str | None = field(default=None, validator=optional(rule_of(Character, "name")))
    description: str | None = field(default=None, validator=optional(rule_of(Character, "description")))
    reference_images: tuple[str, ...] | None = field(default=None, validator=optional(rule_of(Character, "reference_images")))
    lora: str | None = field(default=None, validator=rule_of(Character, "lora"))
    lora_strength: float | None = field(default=None, validator=optional(rule_of(Character, "lora_strength")))
    trigger_words: tuple[str, ...] | None = field(default=None, validator=optional(rule_of(Character, "trigger_words")))
    style_notes: str | None = field(default=None, validator=optional(rule_of(Character, "style_notes")))
    version: int | None = None


@frozen
class UpdateCharacter:
    character_id: str
    changes: CharacterChanges


@define
class UpdateCharacterHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: UpdateCharacter) -> Character:
        updates = {k: v for k, v in asdict(cmd.changes, recurse=False).items() if v is not None and k != "version"}
        if updates.get("lora") == "":
            updates["lora"] = None
        async with self.uow:
            character = await require(self.uow.characters, cmd.character_id, "Character")
            ensure_version("Character", character.version, cmd.changes.version)
            character = await self.uow.characters.update(evolve(character, **updates, updated_at=self.clock.now()))
            await self.uow.commit()
        return character
