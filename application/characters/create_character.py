"""Create a character, global or in a project."""

from attrs import define, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.project_scope import ensure_project_exists
from domain.character import Character


@frozen
class CreateCharacter:
    name: str
    description: str = ""
    reference_images: tuple[str, ...] = ()
    lora: str | None = None
    lora_strength: float = 1.0
    trigger_words: tuple[str, ...] = ()
    style_notes: str = ""
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
