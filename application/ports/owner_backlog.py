"""Port: how many jobs one owner (a credential's subject) has waiting, for the per-owner cap."""

from typing import Protocol


class OwnerBacklog(Protocol):
    async def waiting_of(self, owner: str) -> int:
        """Pending jobs recorded with this owner."""
        ...
