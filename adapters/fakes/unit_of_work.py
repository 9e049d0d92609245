"""An in-memory unit of work: a snapshot on enter, restored unless committed."""

from types import TracebackType
from typing import Any, Self

from attrs import define, field

from adapters.fakes.repository import InMemoryRepository

COLLECTIONS = {"projects": "Project", "scenes": "Scene", "clips": "Clip", "characters": "Character",
               "templates": "Template", "comfyui_servers": "ComfyUI server", "workflows": "Workflow"}


@define
class InMemoryStore:
    """The tables every fake unit of work over this store shares."""

    tables: dict[str, dict[str, Any]] = field(factory=lambda: {name: {} for name in COLLECTIONS})


@define
class InMemoryUnitOfWork:
    store: InMemoryStore
    committed: bool = False
    _snapshot: dict[str, dict[str, Any]] | None = None

    def __getattr__(self, name: str) -> InMemoryRepository[Any]:
        if name in COLLECTIONS:
            return InMemoryRepository(self.store.tables[name], COLLECTIONS[name])
        raise AttributeError(name)

    async def __aenter__(self) -> Self:
        self._snapshot = {name: dict(rows) for name, rows in self.store.tables.items()}
        self.committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed and self._snapshot is not None:
            for name, rows in self._snapshot.items():
                self.store.tables[name].clear()
                self.store.tables[name].update(rows)
        self._snapshot = None

    async def commit(self) -> None:
        self.committed = True
