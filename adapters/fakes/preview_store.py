"""The latest preview of each job, in memory."""

from collections.abc import AsyncIterator, Callable, Sequence

from attrs import define, field

from adapters.fakes.feed import Feed
from application.ports.preview_store import JobPreview


@define
class InMemoryPreviewStore:
    previews: dict[str, JobPreview] = field(factory=dict)
    _feed: Feed[JobPreview] = field(factory=Feed)

    async def put(self, preview: JobPreview) -> None:
        self.previews[preview.job_id] = preview
        self._feed.publish(preview)

    async def latest(self, job_id: str) -> JobPreview | None:
        return self.previews.get(job_id)

    async def delete(self, job_ids: Sequence[str]) -> None:
        for job_id in job_ids:
            self.previews.pop(job_id, None)

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[JobPreview]:
        return self._feed.listen(opened=opened)
