"""Cancel, retry or re-prioritise one job."""

import contextlib

from attrs import define, evolve, field, frozen

from application.errors import Conflict, NotFound, UpstreamUnavailable
from application.ports.clock import Clock
from application.ports.generation_backend import GenerationBackend
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.targets import backend_address
from domain.errors import RuleViolation
from domain.queue_job import JobStatus, QueueJob
from domain.validation import rule_of


async def _job(jobs: JobStore, job_id: str) -> QueueJob:
    job = await jobs.get(job_id)
    if job is None:
        raise NotFound("Job", job_id)
    return job


@frozen
class CancelJob:
    job_id: str


@define
class CancelJobHandler:
    """A waiting job is cancelled at once; a running one is interrupted on its server (that prompt only)."""

    jobs: JobStore
    backend: GenerationBackend
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, cmd: CancelJob) -> QueueJob:
        return await self.cancel(await _job(self.jobs, cmd.job_id))

    async def cancel(self, job: QueueJob) -> QueueJob:
        """Conflict if the job is final already or changed since it was read."""
        try:
            if job.status is not JobStatus.PROCESSING:
                return await self.jobs.save(job.cancelled(now=self.clock.now()))
            job = await self.jobs.save(evolve(job, cancel_requested=True, updated_at=self.clock.now()))
        except RuleViolation as exc:
            raise Conflict(str(exc)) from exc
        await self._interrupt(job)
        return job

    async def _interrupt(self, job: QueueJob) -> None:
        address = await backend_address(self.uow, job.server_id)
        if address is not None:
            with contextlib.suppress(UpstreamUnavailable):  # the runner or recovery still ends it as cancelled
                await self.backend.cancel(address, job.remote_id or job.prompt_id or job.id)


@frozen
class RetryJob:
    job_id: str


@define
class RetryJobHandler:
    jobs: JobStore
    clock: Clock
    signal: QueueSignal

    async def __call__(self, cmd: RetryJob) -> QueueJob:
        job = await _job(self.jobs, cmd.job_id)
        try:
            retried = await self.jobs.save(job.retried(now=self.clock.now()))
        except RuleViolation as exc:
            raise Conflict(str(exc)) from exc
        self.signal.work_queued()
        return retried


@frozen
class PriorityChange:
    priority: int = field(validator=rule_of(QueueJob, "priority"))


@frozen
class ChangePriority:
    job_id: str
    change: PriorityChange


@define
class ChangePriorityHandler:
    jobs: JobStore
    clock: Clock

    async def __call__(self, cmd: ChangePriority) -> QueueJob:
        job = await _job(self.jobs, cmd.job_id)
        if job.status is not JobStatus.PENDING:
            raise Conflict(f"only a waiting job can be re-prioritised; job {job.id} is {job.status.value}")
        return await self.jobs.save(evolve(job, priority=cmd.change.priority, updated_at=self.clock.now()))
