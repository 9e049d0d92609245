"""The dispatcher learns job times from completed attempts, shares them through SpeedRecords (a new leader
starts from them), and honours the servers' model rules."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve

from adapters.fakes.speed_records import InMemorySpeedRecords
from application.comfyui.update_server import ServerChanges, UpdateServer, UpdateServerHandler
from application.queue.speed import SpeedTracker
from domain.comfyui_server import ModelRules
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from tests.unit.application.queue_world import add_server, add_workflow, board_world, dispatcher, enqueue, settle

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def world():
    return await board_world()


async def run_one(world, worker, url, model):
    job = await enqueue(world, model)
    await worker.tick()
    await settle()
    running = await world.jobs.get(job.id)
    world.backend.release(url, running.prompt_id)
    await settle()
    done = await world.jobs.get(job.id)
    assert done.status is JobStatus.COMPLETED
    return done


async def test_completed_attempts_are_learned_stored_and_loaded_by_the_next_leader(world):
    url = "http://gpu1"
    server_id = await add_server(world, url)
    model = await add_workflow(world)
    records = InMemorySpeedRecords()
    worker = evolve(dispatcher(world), speed=SpeedTracker(records))
    await run_one(world, worker, url, model)
    assert (server_id, model) in worker.speed.model.estimates
    seconds = worker.speed.model.seconds(server_id, model)
    await worker.tick()  # housekeeping stores what was learned
    assert records.rows[(server_id, model)].seconds == pytest.approx(seconds)
    await worker.stop()
    successor = evolve(dispatcher(world, owner="instance-2"), speed=SpeedTracker(records))
    await successor.tick()
    assert successor.speed.model.seconds(server_id, model) == pytest.approx(seconds)


def test_a_prompt_queued_on_a_server_counts_from_when_a_slot_took_it(monkeypatch):
    clock = iter([0.0, 10.0, 14.0])
    monkeypatch.setattr("application.queue.speed.time.monotonic", lambda: next(clock))
    tracker = SpeedTracker(InMemorySpeedRecords())
    tracker.claimed("a", "s", busy=0, capacity=1)  # runs from 0
    tracker.claimed("b", "s", busy=1, capacity=1)  # waits in the server's queue
    done = QueueJob(id="a", project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                    output_node="9", created_at=T0, updated_at=T0, status=JobStatus.COMPLETED, server_id="s")
    tracker.finished("a", "s", done)  # at 10: a took 10 s; b starts
    tracker.finished("b", "s", evolve(done, id="b"))  # at 14: b took 4 s, not the 13 s since its claim
    assert tracker.model.estimates[("s", "m")].samples == 2
    assert tracker.model.seconds("s", "m") == pytest.approx(10 + 0.3 * (4 - 10))


async def test_a_server_whose_rules_deny_the_model_gets_none_of_its_jobs(world):
    world.clock.step = timedelta(seconds=1)
    denied = await add_server(world, "http://small")
    allowed = await add_server(world, "http://big")
    model = await add_workflow(world)
    await world.handler(UpdateServerHandler)(UpdateServer(denied, ServerChanges(rules=ModelRules(deny=(model,)))))
    worker = evolve(dispatcher(world), speed=SpeedTracker(InMemorySpeedRecords()))
    first, second = await enqueue(world, model), await enqueue(world, model)
    await worker.tick()
    await settle()
    states = [await world.jobs.get(first.id), await world.jobs.get(second.id)]
    assert sorted(j.status.value for j in states) == ["pending", "processing"]
    assert {j.server_id for j in states if j.status is JobStatus.PROCESSING} == {allowed}
    assert denied not in {j.server_id for j in states}


class GatedSettings:
    """Queue settings whose reads wait until opened: a slow housekeeping."""

    def __init__(self, inner):
        self.inner, self.gate = inner, asyncio.Event()

    async def paused(self):
        await self.gate.wait()
        return await self.inner.paused()

    async def paused_servers(self):
        await self.gate.wait()
        return await self.inner.paused_servers()


async def test_a_round_dispatches_without_waiting_for_housekeeping(world):
    url = "http://gpu1"
    await add_server(world, url, capacity=2)
    model = await add_workflow(world)
    worker = evolve(dispatcher(world), housekeeping_s=30.0)
    first = await enqueue(world, model)
    await worker.tick()  # the first housekeeping is in line: it decides the lead
    await settle()
    assert (await world.jobs.get(first.id)).status is JobStatus.PROCESSING
    worker.settings = GatedSettings(world.queue_settings)
    worker.settings_changed()  # housekeeping due now; it will hang on the settings
    second = await enqueue(world, model)
    worker.work_queued()
    await asyncio.wait_for(worker.tick(), 1.0)
    await settle()
    assert (await world.jobs.get(second.id)).status is JobStatus.PROCESSING
    assert not worker._housekeeping_task.done(), "housekeeping still waits on its reads"
    worker.settings.gate.set()
    await asyncio.wait_for(worker._housekeeping_task, 1.0)
    await worker.stop()
