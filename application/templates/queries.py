"""Reads of templates that guard no invariant."""

from attrs import define

from application.lookups import require
from application.pagination import Page, page_of
from application.ports.unit_of_work import UnitOfWork
from domain.template import Template


@define
class ListTemplates:
    uow: UnitOfWork

    async def __call__(self, *, project_id: str | None = None, skip: int = 0, limit: int = 100) -> Page:
        async with self.uow.reading():
            return await page_of(self.uow.templates.listed(project_id), skip=skip, limit=limit)


@define
class GetTemplate:
    uow: UnitOfWork

    async def __call__(self, template_id: str) -> Template:
        async with self.uow.reading():
            return await require(self.uow.templates, template_id, "Template")
