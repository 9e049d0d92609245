"""Reads of characters that guard no invariant."""

from attrs import define

from application.lookups import require
from application.pagination import Page, page_of
from application.ports.unit_of_work import UnitOfWork
from domain.character import Character


@define
class ListCharacters:
    uow: UnitOfWork

    async def __call__(self, *, project_id: str | None = None, skip: int = 0, limit: int = 100) -> Page:
        async with self.uow.reading():
            return await page_of(self.uow.characters.listed(project_id), skip=skip, limit=limit)


@define
class ListProjectCharacters:
    uow: UnitOfWork

    async def __call__(self, project_id: str) -> list[Character]:
        async with self.uow.reading():
            await require(self.uow.projects, project_id, "Project")
            return await self.uow.characters.of_project(project_id)


@define
class GetCharacter:
    uow: UnitOfWork

    async def __call__(self, character_id: str) -> Character:
        async with self.uow.reading():
            return await require(self.uow.characters, character_id, "Character")
