"""Characters and templates are global (no project) or belong to one existing project."""

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork


async def ensure_project_exists(uow: UnitOfWork, project_id: str | None) -> None:
    if project_id is not None:
        await require(uow.projects, project_id, "Project")
