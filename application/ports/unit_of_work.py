"""Port: one atomic piece of work over the repositories."""

from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Protocol, Self

from application.ports.repository import (
    CharacterRepository,
    ClipRepository,
    ComfyUIServerRepository,
    ProjectRepository,
    SceneRepository,
    TemplateRepository,
    VideoProviderRepository,
    WorkflowRepository,
)
from domain.project import Project
from domain.scene import Scene


# The aggregates, each one consistency boundary: a scene owns its clips (their placement, alternates and
# takes), a project its scenes (their order and alternates). Their documents carry the aggregate's version.
Aggregate = Scene | Project


class UnitOfWork(Protocol):
    """`async with uow:` ... `await uow.commit()`; leaving without commit rolls back."""

    # The repositories, read-only: an implementation may hold its own classes that satisfy these ports.
    @property
    def projects(self) -> ProjectRepository: ...

    @property
    def scenes(self) -> SceneRepository: ...

    @property
    def clips(self) -> ClipRepository: ...

    @property
    def characters(self) -> CharacterRepository: ...

    @property
    def templates(self) -> TemplateRepository: ...

    @property
    def comfyui_servers(self) -> ComfyUIServerRepository: ...

    @property
    def workflows(self) -> WorkflowRepository: ...

    @property
    def video_providers(self) -> VideoProviderRepository: ...

    async def __aenter__(self) -> Self: ...

    def reading(self) -> AbstractAsyncContextManager[Self]:
        """For work that only reads: the repositories without a transaction, each read seeing what is committed
        (one round trip a read, none to end a transaction). Writes belong in `async with uow:`."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def guard(self, aggregate: Aggregate) -> None:
        """Bump the version of the aggregate this work changes, before reading what its rules look at.

        Two units of work guarding one aggregate never both commit: the later one raises ConcurrentChange.
        Without transactions the bump is conditional on no other unit holding the aggregate, and holds it
        until this one ends. The aggregate's board changed.
        """
        ...

    def board_changed(self, project_id: str) -> None:
        """The project's board (project, scenes, clips, takes) changed: its board version goes up on commit."""
        ...
