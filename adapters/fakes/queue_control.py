"""Queue switches and the dispatch lease, in memory."""

import time

from attrs import define, field


@define
class InMemoryQueueSettings:
    queue_paused: bool = False
    servers_paused: set[str] = field(factory=set)

    async def paused(self) -> bool:
        return self.queue_paused

    async def set_paused(self, paused: bool) -> None:
        self.queue_paused = paused

    async def paused_servers(self) -> frozenset[str]:
        return frozenset(self.servers_paused)

    async def set_server_paused(self, server_id: str, paused: bool) -> None:
        (self.servers_paused.add if paused else self.servers_paused.discard)(server_id)


@define
class InMemoryDispatchLease:
    owner: str | None = None
    expires: float = 0.0

    async def hold(self, owner: str, *, seconds: float) -> bool:
        now = time.monotonic()
        if self.owner not in (None, owner) and self.expires > now:
            return False
        self.owner, self.expires = owner, now + seconds
        return True

    async def release(self, owner: str) -> None:
        if self.owner == owner:
            self.owner = None
