"""Port: where render jobs (animatics) are kept, version-guarded, with a feed of their changes."""

from collections.abc import AsyncIterator, Callable
from typing import Protocol

from domain.render_job import RenderJob


class RenderJobStore(Protocol):
    async def add(self, job: RenderJob) -> None: ...

    async def get(self, job_id: str) -> RenderJob | None: ...

    async def latest_of_project(self, project_id: str) -> RenderJob | None:
        """The project's newest render job (by creation), whatever its status."""
        ...

    async def latest_done_of_project(self, project_id: str) -> RenderJob | None:
        """The project's newest finished render, the one its animatic serves."""
        ...

    async def save(self, job: RenderJob) -> RenderJob:
        """Version-guarded write; returns the job at version+1; raises Conflict if it changed meanwhile."""
        ...

    async def delete_of_project(self, project_id: str) -> int:
        """Forget a project's render jobs; returns how many."""
        ...

    def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[RenderJob]:
        """Every render job as it is written, by any API instance, once the feed is open; `opened` is called then."""
        ...
