"""A job store that counts what passes through it: dispatches (and their wait), retries, failures, and which
request enqueued each job (for the job's log lines)."""

from collections.abc import Sequence
from typing import Any

from attrs import define

from adapters.observability.log_context import remember_job_request
from adapters.observability.service_metrics import ServiceMetrics
from application.ports.job_store import JobStore
from domain.queue_job import JobStatus, QueueJob


@define
class ObservedJobStore:
    inner: JobStore
    metrics: ServiceMetrics

    def __getattr__(self, name: str) -> Any:  # every other method is the inner store's
        return getattr(self.inner, name)

    async def add_all(self, jobs: Sequence[QueueJob], workflows: Sequence[dict[str, Any]]) -> None:
        await self.inner.add_all(jobs, workflows)
        for job in jobs:
            remember_job_request(job.id)

    async def claim(self, job: QueueJob, claimed: QueueJob) -> bool:
        won = await self.inner.claim(job, claimed)
        if won:
            due = max(job.created_at, job.not_before or job.created_at)
            self.metrics.dispatch_seconds.observe(max((claimed.updated_at - due).total_seconds(), 0.0))
        return won

    async def save(self, job: QueueJob) -> QueueJob:
        saved = await self.inner.save(job)
        if saved.status is JobStatus.FAILED:
            self.metrics.failures.inc()
        elif saved.status is JobStatus.PENDING and saved.retry_count and saved.error_message and saved.not_before:
            self.metrics.retries.inc()
        return saved
