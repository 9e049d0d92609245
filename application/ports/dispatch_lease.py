"""Port: one API instance at a time schedules the queue (the others serve and relay)."""

from typing import Protocol


class DispatchLease(Protocol):
    async def hold(self, owner: str, *, seconds: float) -> bool:
        """Take or extend the lease for `owner`; False while another live owner holds it."""
        ...

    async def release(self, owner: str) -> None: ...
