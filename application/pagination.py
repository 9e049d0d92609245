"""A page of a longer listing."""

from typing import Any

from attrs import frozen

from application.ports.repository import Listing

MAX_PAGE_SIZE = 500


@frozen
class Page:
    items: tuple[Any, ...]
    total: int
    skip: int
    limit: int


async def page_of(listing: Listing[Any], *, skip: int, limit: int) -> Page:
    items = await listing.items(skip=skip, limit=limit)
    return Page(items=tuple(items), total=await listing.total(), skip=skip, limit=limit)
