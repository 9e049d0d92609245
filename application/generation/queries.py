"""Reads of user workflows that guard no invariant."""

from attrs import define

from application.lookups import require
from application.pagination import Page, page_of
from application.ports.unit_of_work import UnitOfWork
from domain.user_workflow import UserWorkflow


@define
class ListWorkflows:
    uow: UnitOfWork

    async def __call__(self, *, skip: int = 0, limit: int = 100) -> Page:
        async with self.uow.reading():
            return await page_of(self.uow.workflows.listed(), skip=skip, limit=limit)


@define
class GetWorkflow:
    uow: UnitOfWork

    async def __call__(self, workflow_id: str) -> UserWorkflow:
        async with self.uow.reading():
            return await require(self.uow.workflows, workflow_id, "Workflow")
