"""Reads of a project's animatic: its latest render job, and the file of its latest finished render."""

from attrs import define

from application.errors import Conflict, NotFound
from application.ports.animatic_renderer import AnimaticRenderer
from application.ports.clock import Clock
from application.ports.media_store import LocatedFile
from application.ports.render_job_store import RenderJobStore
from application.render.render_status import latest_job
from domain.render_job import RenderJob


@define
class GetAnimaticJob:
    renders: RenderJobStore
    clock: Clock

    async def __call__(self, project_id: str) -> RenderJob:
        job = await latest_job(project_id, self.renders, self.clock)
        if job is None:
            raise NotFound("Animatic render of project", project_id)
        return job


@define
class LocateAnimatic:
    renders: RenderJobStore
    renderer: AnimaticRenderer
    clock: Clock

    async def __call__(self, project_id: str) -> LocatedFile:
        latest = await latest_job(project_id, self.renders, self.clock)
        if latest is not None and latest.active:
            raise Conflict(f"the animatic is being rendered ({latest.progress:.0%}); ask again when job "
                           f"{latest.id} is done")
        done = await self.renders.latest_done_of_project(project_id)
        located = self.renderer.locate(done.output_key) if done is not None and done.output_key else None
        if located is None:
            raise NotFound("Animatic of project", project_id)
        return located
