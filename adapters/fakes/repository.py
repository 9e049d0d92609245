"""A dict-backed repository with the same filters, ordering and version guard as Mongo's."""

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from attrs import define, evolve

from application.errors import ConcurrentChange, Conflict

T = TypeVar("T")


@define
class InMemoryRepository(Generic[T]):
    rows: dict[str, Any]
    kind: str

    async def get(self, entity_id: str) -> T | None:
        return self.rows.get(entity_id)

    async def add(self, entity: T) -> None:
        if entity.id in self.rows:  # type: ignore[attr-defined]
            raise Conflict(f"{self.kind} '{entity.id}' already exists")  # type: ignore[attr-defined]
        self.rows[entity.id] = entity  # type: ignore[attr-defined]

    async def add_all(self, entities: Sequence[T]) -> None:
        for entity in entities:
            await self.add(entity)

    async def update(self, entity: T) -> T:
        stored = self.rows.get(entity.id)  # type: ignore[attr-defined]
        if stored is None or stored.version != entity.version:  # type: ignore[attr-defined]
            raise ConcurrentChange(f"{self.kind} '{entity.id}' was changed or deleted meanwhile")  # type: ignore[attr-defined]
        saved = evolve(entity, version=entity.version + 1)  # type: ignore[attr-defined, misc]
        self.rows[saved.id] = saved
        return saved

    async def update_all(self, entities: Sequence[T]) -> list[T]:
        return [await self.update(entity) for entity in entities]

    async def delete(self, entity_id: str) -> bool:
        return self.rows.pop(entity_id, None) is not None

    async def delete_where(self, where: Mapping[str, Any]) -> int:
        doomed = [entity.id for entity in self._matching(where)]
        for entity_id in doomed:
            del self.rows[entity_id]
        return len(doomed)

    async def find(
        self, where: Mapping[str, Any], *, order_by: Sequence[str] = (), skip: int = 0, limit: int | None = None
    ) -> list[T]:
        found = self._matching(where)
        for key in reversed([*order_by, "id"]):
            name = key.lstrip("-")
            found.sort(key=lambda entity: getattr(entity, name), reverse=key.startswith("-"))
        return found[skip:] if limit is None else found[skip : skip + limit]

    async def count(self, where: Mapping[str, Any]) -> int:
        return len(self._matching(where))

    def _matching(self, where: Mapping[str, Any]) -> list[Any]:
        return [entity for entity in self.rows.values() if all(_matches(entity, k, v) for k, v in where.items())]


def _matches(entity: Any, name: str, wanted: Any) -> bool:
    value = getattr(entity, name)
    if isinstance(wanted, (list, tuple, set, frozenset)):
        return value in wanted
    return bool(value == wanted)
