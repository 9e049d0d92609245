"""The per-owner cap on waiting jobs (QUEUE_MAX_PENDING_PER_OWNER): one user cannot fill the queue alone."""

from attrs import define

from application.errors import ApplicationError
from application.ports.owner_backlog import OwnerBacklog


class TooManyWaiting(ApplicationError):
    """The owner has as many jobs waiting as the cap allows (answered 429)."""


@define
class OwnerCap:
    backlog: OwnerBacklog | None = None
    max_pending: int = 0  # 0: no cap

    async def check(self, owner: str | None, adding: int) -> None:
        """TooManyWaiting if `adding` more waiting jobs would take `owner` past the cap."""
        if owner is None or self.max_pending <= 0 or self.backlog is None or adding == 0:
            return
        waiting = await self.backlog.waiting_of(owner)
        if waiting + adding > self.max_pending:
            raise TooManyWaiting(f"{owner} has {waiting} jobs waiting; at most {self.max_pending} may wait "
                                 f"(QUEUE_MAX_PENDING_PER_OWNER): retry once some have started")
