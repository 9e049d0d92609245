"""Port: fresh entity ids."""

from typing import Protocol


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A new id, unique across the database."""
        ...
