"""Render a template's prompts with a clip's variables (lyrics, character, style) and explicit ones."""

from attrs import define, field, frozen

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.prompts import RenderedPrompts, clip_variables, render_template
from domain.validation import CLEARABLE_REFERENCE, TextMap


@frozen
class RenderTemplate:
    template_id: str
    clip_id: str | None = field(default=None, metadata=CLEARABLE_REFERENCE)  # "" is none, as null
    character_id: str | None = field(default=None, metadata=CLEARABLE_REFERENCE)
    variables: dict[str, str] = field(factory=dict, validator=TextMap(100, 10000))  # beside the clip's own


@define
class RenderTemplateHandler:
    uow: UnitOfWork

    async def __call__(self, cmd: RenderTemplate) -> RenderedPrompts:
        async with self.uow.reading():
            template = await require(self.uow.templates, cmd.template_id, "Template")
            clip = await require(self.uow.clips, cmd.clip_id, "Clip") if cmd.clip_id else None
            character_id = cmd.character_id or (clip.character_id if clip else None)
            character = await require(self.uow.characters, character_id, "Character") if character_id else None
        variables = clip_variables(clip, character, template) | cmd.variables
        return render_template(template, variables, character)
