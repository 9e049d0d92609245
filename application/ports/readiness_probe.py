"""Port: one dependency the service needs to be ready (database, media dir, ...)."""

from typing import Protocol


class ReadinessProbe(Protocol):
    name: str

    async def check(self) -> None:
        """Return when the dependency works; raise with a short reason when it does not."""
        ...
