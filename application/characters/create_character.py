"""Create a character, global or in a project."""

from attrs import define, field, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.project_scope import ensure_project_exists
from domain.character import Character
from domain.validation import rule_of


@frozen
class CreateCharacter:
    name: str = field(validator=rule_of(Character, "name"))
    description: str = field(default="", validator=rule_of(Character, "description"))
    reference_images: tuple[str, ...] = field(default=(), validator=rule_of(Character, "reference_images"))
    lora: str | None = field(default=None, validator=rule_of(Character, "lora"))
    lora_strength: float = field(default=1.0, validator=rule_of(Character, "lora_strength"))
    trigger_words: tuple[str, ...] = field(default=(), validator=rule_of(Character, "trigger_words"))
    style_notes: str = field(default="", validator=rule_of(Character, "style_notes"))
    project_id: str | None = None


@define
class CreateCharacterHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: CreateCharacter) -> Character:
        now = self.clock.now()
        character = Character(
            id=self.ids.new_id(), name=cmd.name, description=cmd.description,
            reference_images=cmd.reference_images, lora=cmd.lora, lora_strength=cmd.lora_strength,
            trigger_words=cmd.trigger_words, style_notes=cmd.style_notes, project_id=cmd.project_id,
            created_at=now, updated_at=now,
        )
        async with self.uow:
            await ensure_project_exists(self.uow, cmd.project_id)
            await self.uow.characters.add(character)
            await self.uow.commit()
        return character
