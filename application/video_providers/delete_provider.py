"""Unregister a video provider: its waiting jobs are cancelled and its running ones stopped there first."""

from attrs import define, frozen

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs
from application.video_providers.update_provider import ensure_registered_through_the_api
from domain.queue_job import JobStatus


@frozen
class DeleteProvider:
    provider_id: str


@frozen
class ProviderDeleted:
    provider_id: str
    jobs_cancelled: int


@define
class DeleteProviderHandler:
    uow: UnitOfWork
    cancel_jobs: CancelJobs

    async def __call__(self, cmd: DeleteProvider) -> ProviderDeleted:
        async with self.uow:
            provider = await require(self.uow.video_providers, cmd.provider_id, "Video provider")
        ensure_registered_through_the_api(provider)
        return await self.remove(provider.id, provider.target)

    async def remove(self, provider_id: str, target: str) -> ProviderDeleted:
        """Cancel its jobs (a running video is deleted on the provider, which must still be registered), then
        forget it."""
        cancelled = await self.cancel_jobs.of_target(target)
        async with self.uow:
            await self.uow.video_providers.delete(provider_id)
            await self.uow.commit()
        return ProviderDeleted(provider_id, sum(job.status is JobStatus.CANCELLED or job.cancel_requested
                                                for job in cancelled))
