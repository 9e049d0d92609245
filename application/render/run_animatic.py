"""Run one animatic render: the board read now, frames made off the event loop, progress and lease written."""

import asyncio
import logging
from datetime import timedelta

from attrs import define

from application.errors import Conflict
from application.ports.animatic_renderer import AnimaticRenderer, RenderedAnimatic
from application.ports.clock import Clock
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.render_job_store import RenderJobStore
from application.render.render_tasks import RenderTasks
from domain.render_job import RenderJob

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=30)  # a render that has not reported for this long is dead
REPORT_S = 0.5


class RenderStopped(Exception):
    """This instance is shutting down."""


@define
class RunAnimatic:
    reader: ProjectBoardReader
    renders: RenderJobStore
    renderer: AnimaticRenderer
    clock: Clock
    tasks: RenderTasks

    async def __call__(self, job: RenderJob) -> None:
        try:
            job = await self.renders.save(job.running(0.0, now=self.clock.now(), lease=LEASE))
            rendered = await self._render(job)
            await self._finish(job.id, rendered)
        except Exception as exc:  # any failure ends in a stored, re-runnable `failed`
            log.warning("animatic %s failed: %s", job.id, exc, exc_info=not isinstance(exc, RenderStopped))
            await self._fail(job.id, str(exc) or type(exc).__name__)

    async def _render(self, job: RenderJob) -> RenderedAnimatic:
        board = await self.reader.board(job.project_id)
        if board is None:
            raise LookupError("the project was deleted")
        latest, abandoned = [0.0], [False]

        def progress(fraction: float) -> None:  # in the rendering thread
            if self.tasks.stopping or abandoned[0]:
                raise RenderStopped("the server stopped during the render; start it again")
            latest[0] = fraction

        render = asyncio.ensure_future(self.renderer.render(board, job.settings, name=job.id, progress=progress))
        try:
            while not render.done():
                await asyncio.wait([render], timeout=REPORT_S)
                if not render.done():  # each report also renews the lease
                    job = await self.renders.save(job.running(latest[0], now=self.clock.now(), lease=LEASE))
        finally:
            if not render.done():  # the job was taken from us (a Conflict): the worker stops at its next frame
                abandoned[0] = True
                await asyncio.gather(render, return_exceptions=True)
        return render.result()

    async def _finish(self, job_id: str, rendered: RenderedAnimatic) -> None:
        job = await self._job(job_id)
        previous = await self.renders.latest_done_of_project(job.project_id)
        await self.renders.save(job.done(rendered.key, rendered.duration_s, now=self.clock.now()))
        if previous is not None and previous.output_key and previous.output_key != rendered.key:
            await self.renderer.delete(previous.output_key)  # only the latest render is kept

    async def _fail(self, job_id: str, reason: str) -> None:
        try:
            job = await self._job(job_id)
            await self.renders.save(job.failed(reason, now=self.clock.now()))
        except (Conflict, LookupError):
            log.exception("could not record the failure of animatic %s", job_id)

    async def _job(self, job_id: str) -> RenderJob:
        job = await self.renders.get(job_id)
        if job is None:
            raise LookupError(f"render job {job_id} is gone")
        return job
