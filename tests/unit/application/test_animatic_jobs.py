"""Animatic render jobs over fakes: started, run to done, one at a time, failures and crashes end re-runnable."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from attrs import define, evolve

from adapters.fakes.animatic_renderer import FakeAnimaticRenderer
from adapters.fakes.clock import FakeClock
from adapters.fakes.id_generator import SequentialIds
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.render_job_store import InMemoryRenderJobStore
from adapters.fakes.unit_of_work import InMemoryStore
from application.errors import Conflict, NotFound
from application.render.animatic_queries import GetAnimaticJob, LocateAnimatic
from application.render.render_tasks import RenderTasks
from application.render.run_animatic import RunAnimatic
from application.render.start_animatic import StartAnimatic, StartAnimaticHandler
from bench.render_boards import T0
from domain.errors import InvalidValue
from domain.project import Project
from domain.render_job import INTERRUPTED, RenderStatus


@define
class World:
    root: Path
    store: InMemoryStore
    renders: InMemoryRenderJobStore
    renderer: FakeAnimaticRenderer
    clock: FakeClock
    tasks: RenderTasks
    ids: SequentialIds = SequentialIds()

    def start(self) -> StartAnimaticHandler:
        reader = InMemoryProjectBoardReader(self.store)
        runner = RunAnimatic(reader, self.renders, self.renderer, self.clock, self.tasks)
        return StartAnimaticHandler(reader, self.renders, self.clock, self.ids, self.tasks, runner)

    def locate(self) -> LocateAnimatic:
        return LocateAnimatic(self.renders, self.renderer, self.clock)


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = InMemoryStore()
    store.tables["projects"]["p1"] = Project(id="p1", name="P", description=None, music_file=None, created_at=T0,
                                             updated_at=T0)
    return World(tmp_path, store, InMemoryRenderJobStore(), FakeAnimaticRenderer(tmp_path), FakeClock(),
                 RenderTasks(), SequentialIds())


async def test_a_render_runs_to_done_and_its_file_is_served(world: World) -> None:
    with pytest.raises(NotFound):
        await world.locate()("p1")  # before the first render
    job = await world.start()(StartAnimatic("p1", fps="25", width=640, height=360, captions=False))
    assert job.status is RenderStatus.PENDING
    await world.tasks.wait()
    done = await GetAnimaticJob(world.renders, world.clock)("p1")
    assert (done.status, done.progress, done.output_key) == (RenderStatus.DONE, 1.0, f"p1/{job.id}.mp4")
    assert world.renderer.rendered[0][1].fps == "25"
    assert (await world.locate()("p1")).path.name == f"{job.id}.mp4"


async def test_only_the_latest_render_is_kept(world: World) -> None:
    first = await world.start()(StartAnimatic("p1"))
    await world.tasks.wait()
    second = await world.start()(StartAnimatic("p1"))
    await world.tasks.wait()
    assert not (world.root / f"p1/{first.id}.mp4").exists()
    assert (await world.locate()("p1")).path.name == f"{second.id}.mp4"


async def test_while_a_render_runs_another_start_and_the_file_are_conflicts(world: World) -> None:
    world.renderer.hold = threading.Event()
    await world.start()(StartAnimatic("p1"))
    with pytest.raises(Conflict):
        await world.start()(StartAnimatic("p1"))
    with pytest.raises(Conflict):
        await world.locate()("p1")
    world.renderer.hold.set()
    await world.tasks.wait()
    assert (await world.locate()("p1")).path.is_file()


async def test_a_failing_render_is_failed_with_its_reason_and_can_run_again(world: World) -> None:
    world.renderer.fail_with = "no picture"
    await world.start()(StartAnimatic("p1"))
    await world.tasks.wait()
    failed = await GetAnimaticJob(world.renders, world.clock)("p1")
    assert (failed.status, failed.error) == (RenderStatus.FAILED, "no picture")
    world.renderer.fail_with = None
    await world.start()(StartAnimatic("p1"))
    await world.tasks.wait()
    assert (await GetAnimaticJob(world.renders, world.clock)("p1")).status is RenderStatus.DONE


async def test_a_render_whose_server_died_reads_as_failed_and_can_run_again(world: World) -> None:
    world.renderer.hold = threading.Event()
    job = await world.start()(StartAnimatic("p1"))
    await world.tasks.close()  # the render stops as at shutdown: recorded failed
    assert (await world.renders.get(job.id)).status is RenderStatus.FAILED  # type: ignore[union-attr]
    # a crash leaves `running` behind: once its lease has run out it is failed for everyone
    stuck = evolve(job, id="f" * 24, status=RenderStatus.RUNNING, created_at=world.clock.now())
    await world.renders.add(stuck)
    world.clock.current += timedelta(minutes=5)
    settled = await GetAnimaticJob(world.renders, world.clock)("p1")
    assert (settled.id, settled.status, settled.error) == (stuck.id, RenderStatus.FAILED, INTERRUPTED)
    world.tasks.stopping, world.renderer.hold = False, None
    await world.start()(StartAnimatic("p1"))
    await world.tasks.wait()
    assert (await GetAnimaticJob(world.renders, world.clock)("p1")).status is RenderStatus.DONE


async def test_unknown_projects_and_bad_settings_are_refused(world: World) -> None:
    with pytest.raises(NotFound):
        await world.start()(StartAnimatic("nope"))
    for bad in ({"fps": "12"}, {"width": 63}, {"height": 1921}):
        with pytest.raises(InvalidValue):
            StartAnimatic("p1", **bad)  # type: ignore[arg-type]


async def test_odd_sizes_are_rounded_down_to_even_and_the_job_records_them(world: World) -> None:
    job = await world.start()(StartAnimatic("p1", width=641, height=361))
    await world.tasks.wait()
    assert (job.settings.width, job.settings.height) == (640, 360)
    assert (world.renderer.rendered[0][1].width, world.renderer.rendered[0][1].height) == (640, 360)
