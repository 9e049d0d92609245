"""Create a prompt template, global or in a project."""

from attrs import define, field, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.project_scope import ensure_project_exists
from domain.template import Template
from domain.validation import rule_of


@frozen
class CreateTemplate:
    name: str = field(validator=rule_of(Template, "name"))
    description: str | None = field(default=None, validator=rule_of(Template, "description"))
    image_prompt: str = field(default="", validator=rule_of(Template, "image_prompt"))
    video_prompt: str = field(default="", validator=rule_of(Template, "video_prompt"))
    negative_prompt: str = field(default="", validator=rule_of(Template, "negative_prompt"))
    style: str = field(default="", validator=rule_of(Template, "style"))
    project_id: str | None = None


@define
class CreateTemplateHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: CreateTemplate) -> Template:
        now = self.clock.now()
        template = Template(
            id=self.ids.new_id(), name=cmd.name, description=cmd.description,
            image_prompt=cmd.image_prompt, video_prompt=cmd.video_prompt,
            negative_prompt=cmd.negative_prompt, style=cmd.style, project_id=cmd.project_id,
            created_at=now, updated_at=now,
        )
        async with self.uow:
            await ensure_project_exists(self.uow, cmd.project_id)
            await self.uow.templates.add(template)
            await self.uow.commit()
        return template
