"""Loading an entity a use case cannot do without."""

from typing import TypeVar

from application.errors import NotFound
from application.ports.repository import Repository

T = TypeVar("T")


async def require(repository: Repository[T], entity_id: str, kind: str) -> T:
    entity = await repository.get(entity_id)
    if entity is None:
        raise NotFound(kind, entity_id)
    return entity
