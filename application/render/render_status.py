"""A project's latest render job as it really stands: one whose lease ran out is failed (and so re-runnable)."""

from application.errors import Conflict
from application.ports.clock import Clock
from application.ports.render_job_store import RenderJobStore
from domain.render_job import INTERRUPTED, RenderJob


async def settled(job: RenderJob | None, renders: RenderJobStore, clock: Clock) -> RenderJob | None:
    """`job`, or its failed form (stored) if its render died without saying so."""
    now = clock.now()
    if job is None or not job.abandoned(now):
        return job
    try:
        return await renders.save(job.failed(INTERRUPTED, now=now))
    except Conflict:  # someone settled or advanced it meanwhile
        return await renders.get(job.id)


async def latest_job(project_id: str, renders: RenderJobStore, clock: Clock) -> RenderJob | None:
    return await settled(await renders.latest_of_project(project_id), renders, clock)
