"""Read a job's latest sampler preview."""

from attrs import define

from application.errors import NotFound
from application.ports.job_store import JobStore
from application.ports.preview_store import JobPreview, PreviewStore


@define
class GetJobPreview:
    previews: PreviewStore
    jobs: JobStore

    async def __call__(self, job_id: str) -> JobPreview:
        preview = await self.previews.latest(job_id)
        if preview is None:
            known = await self.jobs.get(job_id) is not None
            raise NotFound("Preview of job" if known else "Job", job_id)
        return preview
