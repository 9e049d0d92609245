"""Reads of projects that guard no invariant."""

from attrs import define

from application.errors import NotFound
from application.lookups import require
from application.pagination import Page, page_of
from application.ports.project_board_reader import ProjectBoard, ProjectBoardReader
from application.ports.unit_of_work import UnitOfWork
from domain.project import Project


@define
class ListProjects:
    uow: UnitOfWork

    async def __call__(self, *, skip: int, limit: int) -> Page:
        async with self.uow.reading():
            return await page_of(self.uow.projects.listed(), skip=skip, limit=limit)


@define
class GetProject:
    uow: UnitOfWork

    async def __call__(self, project_id: str) -> Project:
        async with self.uow.reading():
            return await require(self.uow.projects, project_id, "Project")


@define
class GetBoardVersion:
    """The board version alone (one small read): enough to answer a client whose copy is current."""

    reader: ProjectBoardReader

    async def __call__(self, project_id: str) -> int:
        version = await self.reader.board_version(project_id)
        if version is None:
            raise NotFound("Project", project_id)
        return version


@define
class GetProjectBoard:
    reader: ProjectBoardReader

    async def __call__(self, project_id: str, *, version: int | None = None) -> ProjectBoard:
        """`version`: the board version just read (GetBoardVersion), not to be read again."""
        board = await self.reader.board(project_id, version=version)
        if board is None:
            raise NotFound("Project", project_id)
        return board
