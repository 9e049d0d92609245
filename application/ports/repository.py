"""Port: a collection of one kind of entity, with version-guarded writes."""

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Repository(Protocol[T]):
    """Entities are attrs classes with `id` and `version`; filters name their fields."""

    async def get(self, entity_id: str) -> T | None: ...

    async def add(self, entity: T) -> None: ...

    async def add_all(self, entities: Sequence[T]) -> None: ...

    async def update(self, entity: T) -> T:
        """Store `entity` if the stored version equals its version; return it with version+1.

        Raises application.errors.Conflict when the entity changed (or vanished) meanwhile.
        """
        ...

    async def update_all(self, entities: Sequence[T]) -> list[T]: ...

    async def delete(self, entity_id: str) -> bool: ...

    async def delete_where(self, where: Mapping[str, Any]) -> int: ...

    async def find(
        self,
        where: Mapping[str, Any],
        *,
        order_by: Sequence[str] = (),
        skip: int = 0,
        limit: int | None = None,
    ) -> list[T]:
        """Entities whose fields equal `where` (a sequence value means 'any of')."""
        ...

    async def count(self, where: Mapping[str, Any]) -> int: ...
