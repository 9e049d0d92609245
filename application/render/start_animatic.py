"""Start an animatic render of a project's board: 202 with the job; one render per project at a time."""

from attrs import define, field, frozen

from application.errors import Conflict, NotFound
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.render_job_store import RenderJobStore
from application.render.render_status import latest_job
from application.render.render_tasks import RenderTasks
from application.render.run_animatic import LEASE, RunAnimatic
from domain.render_job import AnimaticSettings, RenderJob
from domain.validation import rule_of


@frozen
class StartAnimatic:
    project_id: str
    fps: str = field(default="24", validator=rule_of(AnimaticSettings, "fps"))
    width: int = field(default=1280, validator=rule_of(AnimaticSettings, "width"))
    height: int = field(default=720, validator=rule_of(AnimaticSettings, "height"))
    captions: bool = True


@define
class StartAnimaticHandler:
    reader: ProjectBoardReader
    renders: RenderJobStore
    clock: Clock
    ids: IdGenerator
    tasks: RenderTasks
    runner: RunAnimatic

    async def __call__(self, cmd: StartAnimatic) -> RenderJob:
        if await self.reader.board_version(cmd.project_id) is None:
            raise NotFound("Project", cmd.project_id)
        running = await latest_job(cmd.project_id, self.renders, self.clock)
        if running is not None and running.active:
            raise Conflict(f"an animatic of this project is being rendered (job {running.id}); wait for it")
        now = self.clock.now()
        job = RenderJob(id=self.ids.new_id(), project_id=cmd.project_id, created_at=now, updated_at=now,
                        lease_until=now + LEASE,
                        settings=AnimaticSettings(cmd.fps, cmd.width, cmd.height, cmd.captions).even())
        await self.renders.add(job)
        self.tasks.spawn(self.runner(job))
        return job
