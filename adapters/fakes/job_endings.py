"""Job endings read from the in-memory job store."""

from collections.abc import Sequence

from attrs import define, evolve

from adapters.fakes.job_store import InMemoryJobStore
from domain.queue_job import QueueJob


@define
class InMemoryJobEndings:
    store: InMemoryJobStore

    async def unannounced(self, *, limit: int) -> list[QueueJob]:
        ended = [j for j in self.store.jobs.values() if j.status.final and not j.announced]
        return sorted(ended, key=lambda j: (j.completed_at or j.updated_at, j.id))[:limit]

    async def mark_announced(self, job: QueueJob) -> None:
        current = self.store.jobs.get(job.id)
        if current is not None and current.status.final and current.completed_at == job.completed_at:
            self.store.jobs[job.id] = evolve(current, announced=True)

    async def batch_finished(self, batch_id: str) -> bool:
        return all(j.status.final for j in self.store.jobs.values() if j.batch_id == batch_id)

    async def of_batch(self, batch_id: str) -> Sequence[QueueJob]:
        return [j for j in self.store.jobs.values() if j.batch_id == batch_id]
