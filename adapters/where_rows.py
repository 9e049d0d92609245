"""What the fake and Mongo repositories share inside the adapters: field-equality queries and listings over them.

A `where` maps attribute names to a wanted value (a sequence means 'any of'); it never leaves the adapters.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from attrs import frozen

T = TypeVar("T")


class Rows(Protocol[T]):
    """One collection of entities: the version-guarded writes of the port, plus queries by field equality."""

    async def get(self, entity_id: str) -> T | None: ...

    async def add(self, entity: T) -> None: ...

    async def add_all(self, entities: Sequence[T]) -> None: ...

    async def update(self, entity: T) -> T: ...

    async def update_all(self, entities: Sequence[T]) -> list[T]: ...

    async def delete(self, entity_id: str) -> bool: ...

    async def delete_where(self, where: Mapping[str, Any]) -> int: ...

    async def find(self, where: Mapping[str, Any], *, order_by: Sequence[str] = (), skip: int = 0,
                   limit: int | None = None) -> list[T]: ...

    async def count(self, where: Mapping[str, Any]) -> int: ...


@frozen
class WhereListing(Generic[T]):
    """A listing port over one query: `find(skip=, limit=)` and `count()` with the query bound."""

    find: Callable[..., Awaitable[list[T]]]
    count: Callable[[], Awaitable[int]]

    async def items(self, *, skip: int = 0, limit: int | None = None) -> list[T]:
        return await self.find(skip=skip, limit=limit)

    async def total(self) -> int:
        return await self.count()
