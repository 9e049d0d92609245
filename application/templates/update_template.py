"""Edit a prompt template."""

from attrs import asdict, define, evolve, field, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.versions import ensure_version
from domain.template import Template
from domain.validation import optional, rule_of


@frozen
class TemplateChanges:
    """Fields left out (null) keep their value; an empty description clears it."""

    name: str | None = field(default=None, validator=optional(rule_of(Template, "name")))
    description: str | None = field(default=None, validator=rule_of(Template, "description"))
    image_prompt: str | None = field(default=None, validator=optional(rule_of(Template, "image_prompt")))
    video_prompt: str | None = field(default=None, validator=optional(rule_of(Template, "video_prompt")))
    negative_prompt: str | None = field(default=None, validator=optional(rule_of(Template, "negative_prompt")))
    style: str | None = field(default=None, validator=optional(rule_of(Template, "style")))
    version: int | None = None


@frozen
class UpdateTemplate:
    template_id: str
    changes: TemplateChanges


@define
class UpdateTemplateHandler:
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: UpdateTemplate) -> Template:
        updates = {k: v for k, v in asdict(cmd.changes).items() if v is not None and k != "version"}
        if updates.get("description") == "":
            updates["description"] = None
        async with self.uow:
            template = await require(self.uow.templates, cmd.template_id, "Template")
            ensure_version("Template", template.version, cmd.changes.version)
            template = await self.uow.templates.update(evolve(template, **updates, updated_at=self.clock.now()))
            await self.uow.commit()
        return template
