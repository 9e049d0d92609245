"""Delete a prompt template."""

from attrs import define, frozen

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork


@frozen
class DeleteTemplate:
    template_id: str


@frozen
class TemplateDeleted:
    template_id: str


@define
class DeleteTemplateHandler:
    uow: UnitOfWork

    async def __call__(self, cmd: DeleteTemplate) -> TemplateDeleted:
        async with self.uow:
            await require(self.uow.templates, cmd.template_id, "Template")
            await self.uow.templates.delete(cmd.template_id)
            await self.uow.commit()
        return TemplateDeleted(template_id=cmd.template_id)
