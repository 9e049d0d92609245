"""Port: one atomic piece of work over the repositories."""

from types import TracebackType
from typing import Protocol, Self

from application.ports.repository import Repository
from domain.character import Character
from domain.comfyui_server import ComfyUIServer
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow


class UnitOfWork(Protocol):
    """`async with uow:` ... `await uow.commit()`; leaving without commit rolls back."""

    projects: Repository[Project]
    scenes: Repository[Scene]
    clips: Repository[Clip]
    characters: Repository[Character]
    templates: Repository[Template]
    comfyui_servers: Repository[ComfyUIServer]
    workflows: Repository[UserWorkflow]

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...
