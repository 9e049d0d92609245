"""A page of a longer listing."""

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from application.ports.repository import Repository

MAX_PAGE_SIZE = 500


@frozen
class Page:
    items: tuple[Any, ...]
    total: int
    skip: int
    limit: int


async def page_of(repository: Repository[Any], where: Mapping[str, Any], *, order_by: Sequence[str], skip: int,
                  limit: int) -> Page:
    items = await repository.find(where, order_by=order_by, skip=skip, limit=limit)
    return Page(items=tuple(items), total=await repository.count(where), skip=skip, limit=limit)
