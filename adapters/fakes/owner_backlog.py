"""Owners' waiting jobs counted in the in-memory job store."""

from attrs import define

from adapters.fakes.job_store import InMemoryJobStore
from domain.queue_job import JobStatus


@define
class InMemoryOwnerBacklog:
    store: InMemoryJobStore

    async def waiting_of(self, owner: str) -> int:
        return sum(1 for j in self.store.jobs.values() if j.owner == owner and j.status is JobStatus.PENDING)
