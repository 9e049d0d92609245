"""Reusable attrs validators for field invariants."""

import math
from collections.abc import Callable
from typing import Any

from domain.errors import InvalidValue

Validator = Callable[[Any, Any, Any], None]


def bounded_text(max_length: int, *, allow_empty: bool = False) -> Validator:
    def check(_instance: Any, attribute: Any, value: str) -> None:
        if not allow_empty and not value.strip():
            raise InvalidValue(attribute.name, "must not be empty")
        if len(value) > max_length:
            raise InvalidValue(attribute.name, f"must be at most {max_length} characters")

    return check


def optional_text(max_length: int) -> Validator:
    inner = bounded_text(max_length, allow_empty=True)

    def check(instance: Any, attribute: Any, value: str | None) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def finite_at_least(minimum: float, *, strict: bool = False) -> Validator:
    def check(_instance: Any, attribute: Any, value: float) -> None:
        if not math.isfinite(value):
            raise InvalidValue(attribute.name, "must be a finite number")
        if value < minimum or (strict and value == minimum):
            relation = "greater than" if strict else "at least"
            raise InvalidValue(attribute.name, f"must be {relation} {minimum}")

    return check


def at_most(maximum: float) -> Validator:
    def check(_instance: Any, attribute: Any, value: float) -> None:
        if value > maximum:
            raise InvalidValue(attribute.name, f"must be at most {maximum}")

    return check


def non_negative_int(_instance: Any, attribute: Any, value: int) -> None:
    if value < 0:
        raise InvalidValue(attribute.name, "must be at least 0")


def text_items(max_items: int, max_length: int) -> Validator:
    def check(_instance: Any, attribute: Any, value: tuple[str, ...]) -> None:
        if len(value) > max_items:
            raise InvalidValue(attribute.name, f"must hold at most {max_items} items")
        if any(len(item) > max_length for item in value):
            raise InvalidValue(attribute.name, f"items must be at most {max_length} characters")

    return check
