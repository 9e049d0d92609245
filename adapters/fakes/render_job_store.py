"""Render jobs in memory, with the same version rule and ordering as Mongo."""

from collections.abc import AsyncIterator, Callable

from attrs import define, evolve, field

from adapters.fakes.feed import Feed
from application.errors import Conflict
from domain.render_job import RenderJob, RenderStatus


@define
class InMemoryRenderJobStore:
    jobs: dict[str, RenderJob] = field(factory=dict)
    _feed: Feed[RenderJob] = field(factory=Feed)

    def _put(self, job: RenderJob) -> None:
        self.jobs[job.id] = job
        self._feed.publish(job)

    async def add(self, job: RenderJob) -> None:
        if job.id in self.jobs:
            raise Conflict(f"render job {job.id} exists")
        self._put(job)

    async def get(self, job_id: str) -> RenderJob | None:
        return self.jobs.get(job_id)

    def _newest(self, project_id: str, *, done: bool) -> RenderJob | None:
        found = [job for job in self.jobs.values()
                 if job.project_id == project_id and (not done or job.status is RenderStatus.DONE)]
        return max(found, key=lambda job: (job.created_at, job.id), default=None)

    async def latest_of_project(self, project_id: str) -> RenderJob | None:
        return self._newest(project_id, done=False)

    async def latest_done_of_project(self, project_id: str) -> RenderJob | None:
        return self._newest(project_id, done=True)

    async def save(self, job: RenderJob) -> RenderJob:
        stored = self.jobs.get(job.id)
        if stored is None or stored.version != job.version:
            raise Conflict(f"render job {job.id} was changed meanwhile; reload and retry")
        saved = evolve(job, version=job.version + 1)
        self._put(saved)
        return saved

    async def delete_of_project(self, project_id: str) -> int:
        gone = [job_id for job_id, job in self.jobs.items() if job.project_id == project_id]
        for job_id in gone:
            del self.jobs[job_id]
        return len(gone)

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[RenderJob]:
        return self._feed.listen(opened=opened)
