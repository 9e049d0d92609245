"""Reads of the queue: a job, filtered lists, the active jobs, the status, per-server load, a batch's status."""

from collections import Counter

from attrs import define, frozen

from application.errors import NotFound
from application.pagination import Page, page_of
from application.ports.job_store import JobFilter, JobStore
from application.ports.queue_settings import QueueSettings
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import HealthStatus
from domain.queue_job import JobStatus, QueueJob



@frozen
class StatusCounts:
    pending: int = 0
    processing: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0


@frozen
class QueueStatus:
    paused: bool
    paused_servers: tuple[str, ...]
    counts: StatusCounts
    servers_up: int  # servers taking work: enabled, up and not paused
    capacity: int  # their capacity


@frozen
class ServerLoad:
    server_id: str
    name: str
    health: HealthStatus
    enabled: bool
    paused: bool
    available: bool  # takes new work: enabled, up and not paused (the whole queue's switch is apart)
    capacity: int
    running: int
    running_jobs: tuple[str, ...]


@frozen
class BatchStatus:
    batch_id: str
    total: int
    counts: StatusCounts
    progress: float  # mean progress over the batch, 0..100
    done: bool


async def _counts(jobs: JobStore) -> StatusCounts:
    return StatusCounts(**{s.value: await jobs.listed(JobFilter(status=s)).total() for s in JobStatus})


@define
class GetJob:
    jobs: JobStore

    async def __call__(self, job_id: str) -> QueueJob:
        job = await self.jobs.get(job_id)
        if job is None:
            raise NotFound("Job", job_id)
        return job


@define
class ListActiveJobs:
    """Waiting and running jobs (of one project, or all): what a live view starts from."""

    jobs: JobStore
    limit: int = 500

    async def __call__(self, project_id: str | None = None) -> list[QueueJob]:
        return await self.jobs.active(project_id or None, limit=self.limit)


@define
class ListJobs:
    jobs: JobStore

    async def __call__(self, job_filter: JobFilter, *, skip: int, limit: int) -> Page:
        return await page_of(self.jobs.listed(job_filter), skip=skip, limit=limit)


@define
class GetQueueStatus:
    jobs: JobStore
    settings: QueueSettings
    uow: UnitOfWork

    async def __call__(self) -> QueueStatus:
        async with self.uow.reading():
            servers = await self.uow.comfyui_servers.all()
        paused = await self.settings.paused_servers()
        up = [s for s in servers if s.available and s.id not in paused]  # a paused server takes no work
        return QueueStatus(paused=await self.settings.paused(), paused_servers=tuple(sorted(paused)),
                           counts=await _counts(self.jobs), servers_up=len(up),
                           capacity=sum(s.capacity for s in up))


@define
class GetServerLoads:
    jobs: JobStore
    settings: QueueSettings
    uow: UnitOfWork

    async def __call__(self) -> list[ServerLoad]:
        async with self.uow.reading():
            servers = await self.uow.comfyui_servers.all()
        paused = await self.settings.paused_servers()
        running: dict[str, list[str]] = {}
        for job in await self.jobs.processing():
            running.setdefault(job.server_id or "", []).append(job.id)
        return [ServerLoad(s.id, s.name, s.health.status, s.enabled, s.id in paused,
                           s.available and s.id not in paused, s.capacity, len(running.get(s.id, [])),
                           tuple(running.get(s.id, []))) for s in servers]


@define
class GetBatchStatus:
    jobs: JobStore

    async def __call__(self, batch_id: str) -> BatchStatus:
        jobs = await self.jobs.of_batch(batch_id)
        if not jobs:
            raise NotFound("Batch", batch_id)
        counts = Counter(job.status.value for job in jobs)
        progress = sum(100.0 if job.status.final else job.progress for job in jobs) / len(jobs)
        return BatchStatus(batch_id=batch_id, total=len(jobs), counts=StatusCounts(**counts),
                           progress=round(progress, 1), done=all(job.status.final for job in jobs))
