"""An in-memory unit of work: a snapshot on enter, restored unless committed."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

from attrs import Factory, define, field

from adapters import entity_repositories as repositories
from adapters.fakes.repository import InMemoryRepository
from adapters.fakes.server_observations import ObservedServerRepository
from application.errors import ConcurrentChange
from application.ports.unit_of_work import Aggregate
from domain.comfyui_server import ServerObservation
from domain.project import Project

COLLECTIONS = {"projects": "Project", "scenes": "Scene", "clips": "Clip", "characters": "Character",
               "templates": "Template", "comfyui_servers": "ComfyUI server", "workflows": "Workflow",
               "video_providers": "Video provider"}


@define
class InMemoryStore:
    """The tables every fake unit of work over this store shares."""

    tables: dict[str, dict[str, Any]] = field(factory=lambda: {name: {} for name in COLLECTIONS})
    server_observations: dict[tuple[str, str], ServerObservation] = field(factory=dict)  # outside any unit of work
    board_versions: dict[str, int] = field(factory=dict)  # project id -> board version, as Mongo keeps it
    aggregate_versions: dict[str, int] = field(factory=dict)  # scene or project id -> its aggregate's version
    claims: dict[str, object] = field(factory=dict)  # aggregate id -> the unit of work guarding it


def _repository(port: type, kind: str) -> Any:
    """A field: the `port` repository over the store's table `kind`."""
    rows = Factory(lambda uow: port(InMemoryRepository(uow.store.tables[kind], COLLECTIONS[kind])), takes_self=True)
    return field(init=False, default=rows)


def _servers(uow: "InMemoryUnitOfWork") -> repositories.ComfyUIServers:
    rows = InMemoryRepository[Any](uow.store.tables["comfyui_servers"], COLLECTIONS["comfyui_servers"])
    return repositories.ComfyUIServers(ObservedServerRepository(rows, uow.store.server_observations))


@define
class InMemoryUnitOfWork:
    store: InMemoryStore
    committed: bool = False
    _snapshot: dict[str, dict[str, Any]] | None = None
    _boards: set[str] = field(factory=set)
    _guarded: set[str] = field(factory=set)
    projects: repositories.Projects = _repository(repositories.Projects, "projects")
    scenes: repositories.Scenes = _repository(repositories.Scenes, "scenes")
    clips: repositories.Clips = _repository(repositories.Clips, "clips")
    characters: repositories.Characters = _repository(repositories.Characters, "characters")
    templates: repositories.Templates = _repository(repositories.Templates, "templates")
    comfyui_servers: repositories.ComfyUIServers = field(init=False, default=Factory(_servers, takes_self=True))
    workflows: repositories.Workflows = _repository(repositories.Workflows, "workflows")
    video_providers: repositories.VideoProviders = _repository(repositories.VideoProviders, "video_providers")

    async def __aenter__(self) -> Self:
        self._snapshot = {name: dict(rows) for name, rows in self.store.tables.items()}
        self.committed = False
        self._boards = set()
        self._guarded = set()
        return self

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Self]:
        yield self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed and self._snapshot is not None:
            for name, rows in self._snapshot.items():
                self.store.tables[name].clear()
                self.store.tables[name].update(rows)
        self._snapshot = None
        for aggregate_id in [key for key, owner in self.store.claims.items() if owner is self]:
            del self.store.claims[aggregate_id]

    async def commit(self) -> None:
        self.committed = True
        for aggregate_id in self._guarded:
            self.store.aggregate_versions[aggregate_id] = self.store.aggregate_versions.get(aggregate_id, 0) + 1
        self._guarded = set()
        for project_id in self._boards:
            self.store.board_versions[project_id] = self.store.board_versions.get(project_id, 0) + 1
        self._boards = set()

    async def guard(self, aggregate: Aggregate) -> None:
        """As Mongo without transactions: held until this unit ends; the version goes up with a commit."""
        table = self.store.tables["projects" if isinstance(aggregate, Project) else "scenes"]
        if aggregate.id not in table or self.store.claims.setdefault(aggregate.id, self) is not self:
            raise ConcurrentChange(f"'{aggregate.id}' is being changed by another request")
        self._guarded.add(aggregate.id)
        self.board_changed(aggregate.id if isinstance(aggregate, Project) else aggregate.project_id)

    def board_changed(self, project_id: str) -> None:
        self._boards.add(project_id)
