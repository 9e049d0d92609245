"""Alternates: takes of a scene or clip that share its parent, numbered 1..k."""

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from attrs import evolve


class Alternative(Protocol):
    id: str
    alternate_number: int


T = TypeVar("T", bound=Alternative)


def next_alternate_number(siblings: Iterable[Alternative]) -> int:
    return max((sibling.alternate_number for sibling in siblings), default=0) + 1


def renumbered(alternates: Sequence[T]) -> list[T]:
    """Number one parent's alternates 1..k, keeping their order; return those that changed."""
    ordered = sorted(alternates, key=lambda item: item.alternate_number)
    return [
        evolve(item, alternate_number=number)  # type: ignore[misc]
        for number, item in enumerate(ordered, start=1)
        if item.alternate_number != number
    ]


def promoted(alternates: Sequence[T], *, parent_field: str) -> list[T]:
    """When a parent goes, its first alternate takes its place and adopts the others."""
    ordered = sorted(alternates, key=lambda item: item.alternate_number)
    if not ordered:
        return []
    heir = evolve(ordered[0], alternate_number=0, **{parent_field: None})  # type: ignore[misc]
    adopted = [
        evolve(item, alternate_number=number, **{parent_field: heir.id})  # type: ignore[misc]
        for number, item in enumerate(ordered[1:], start=1)
    ]
    return [heir, *adopted]
