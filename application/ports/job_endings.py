"""Port: the jobs that ended and whose ending the webhooks have not yet been handed (an outbox kept on the job)."""

from collections.abc import Sequence
from typing import Protocol

from domain.queue_job import QueueJob


class JobEndings(Protocol):
    async def unannounced(self, *, limit: int) -> list[QueueJob]:
        """Final jobs not yet marked announced, oldest ending first."""
        ...

    async def mark_announced(self, job: QueueJob) -> None:
        """Mark this ending announced (not a guarded change: the version stays); a job retried since is left."""
        ...

    async def batch_finished(self, batch_id: str) -> bool:
        """No job of the batch waits or runs (a cheap look, before reading the whole batch)."""
        ...

    async def of_batch(self, batch_id: str) -> Sequence[QueueJob]:
        """Every job of a batch."""
        ...
