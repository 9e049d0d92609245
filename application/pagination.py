"""A page of a longer listing."""

from typing import Any

from attrs import frozen

MAX_PAGE_SIZE = 500


@frozen
class Page:
    items: tuple[Any, ...]
    total: int
    skip: int
    limit: int
