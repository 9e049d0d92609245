"""A video provider job: the queue's job and, live from the provider, how its video stands there."""

from attrs import define, frozen

from application.errors import NotFound, UpstreamUnavailable
from application.ports.job_store import JobStore
from application.ports.video_provider import RemoteVideo, VideoProviderApi
from domain.queue_job import QueueJob
from domain.video_provider import provider_of


@frozen
class ProviderJob:
    job: QueueJob
    provider_id: str
    remote_video_id: str | None  # the provider's id of the current attempt's video (none before it is created)
    remote: RemoteVideo | None  # as the provider reports it now; none without a video, or when it could not say
    remote_error: str | None  # why `remote` is missing, when the provider was asked


@define
class GetProviderJob:
    jobs: JobStore
    api: VideoProviderApi

    async def __call__(self, job_id: str) -> ProviderJob:
        job = await self.jobs.get(job_id)
        provider_id = provider_of(job.target) if job is not None else None
        if job is None or provider_id is None:
            raise NotFound("Video provider job", job_id)
        remote, error = None, None
        if job.remote_id is not None:
            try:
                remote = await self.api.video(provider_id, job.remote_id)
                error = None if remote is not None else "the provider no longer has this video"
            except (UpstreamUnavailable, NotFound) as exc:
                error = str(exc)
        return ProviderJob(job=job, provider_id=provider_id, remote_video_id=job.remote_id, remote=remote,
                           remote_error=error)
