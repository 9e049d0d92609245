"""Optimistic concurrency: a client may say which version it edited."""

from application.errors import Conflict


def ensure_version(kind: str, stored: int, expected: int | None) -> None:
    if expected is not None and expected != stored:
        raise Conflict(f"{kind} was changed by someone else: version {stored}, request edits version {expected}")
