"""A job's life over the fakes: queued, dispatched, run, filed into the gallery; failures retried; cancels."""

import asyncio

import pytest

from application.queue.control_job import CancelJob, CancelJobHandler
from domain.queue_job import JobStatus
from tests.unit.application.queue_world import add_server, add_workflow, board_world, dispatcher, enqueue, settle


@pytest.fixture
async def world():
    return await board_world()


async def test_a_job_runs_and_its_take_lands_in_the_clip_gallery(world):
    url = "http://gpu1"
    server_id = await add_server(world, url)
    job = await enqueue(world, await add_workflow(world), seed=42)
    assert job.status is JobStatus.PENDING and job.params["seed"] == 42
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    running = await world.jobs.get(job.id)
    assert (running.status, running.server_id) == (JobStatus.PROCESSING, server_id)
    assert running.prompt_id in world.backend.servers[url].prompts
    world.backend.release(url, running.prompt_id)
    await settle()
    done = await world.jobs.get(job.id)
    assert done.status is JobStatus.COMPLETED and done.progress == 100.0
    clip = world.store.tables["clips"][job.clip_id]
    [take] = clip.generated_images
    assert (take.url, take.seed, take.server_id, take.job_id, take.selected) == (done.result_url, 42, server_id,
                                                                                 job.id, True)


async def test_capacity_is_respected_and_a_freed_slot_is_refilled(world):
    url = "http://gpu1"
    await add_server(world, url, capacity=1)
    model = await add_workflow(world)
    first, second = await enqueue(world, model), await enqueue(world, model)
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    assert [j.status for j in (await world.jobs.get(first.id), await world.jobs.get(second.id))] == [
        JobStatus.PROCESSING, JobStatus.PENDING]
    world.backend.release(url, (await world.jobs.get(first.id)).prompt_id)
    await settle()
    await worker.tick()
    assert (await world.jobs.get(second.id)).status is JobStatus.PROCESSING


async def test_a_failed_attempt_is_retried_with_backoff_on_another_server(world):
    bad = await add_server(world, "http://bad", hold=False)
    world.backend.servers["http://bad"].fail_with = "CUDA out of memory"
    job = await enqueue(world, await add_workflow(world))
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    retried = await world.jobs.get(job.id)
    assert (retried.status, retried.retry_count, retried.excluded_servers) == (JobStatus.PENDING, 1, (bad,))
    assert retried.error_message == "CUDA out of memory" and retried.not_before > world.clock.current
    good = await add_server(world, "http://good", hold=False)
    await worker.tick()
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.PENDING, "the backoff must be waited out"
    world.clock.current = retried.not_before
    await worker.tick()
    await settle()
    final = await world.jobs.get(job.id)
    assert (final.status, final.server_id) == (JobStatus.COMPLETED, good)


async def test_a_job_fails_for_good_after_its_retries(world):
    await add_server(world, "http://bad", hold=False)
    world.backend.servers["http://bad"].fail_with = "boom"
    job = await enqueue(world, await add_workflow(world), max_retries=1)
    worker = dispatcher(world)
    for _ in range(2):
        await worker.tick()
        await settle()
        world.clock.current = (await world.jobs.get(job.id)).not_before or world.clock.current
    final = await world.jobs.get(job.id)
    assert (final.status, final.retry_count, final.error_message) == (JobStatus.FAILED, 1, "boom")


async def test_cancel_of_a_running_job_interrupts_it_and_it_ends_cancelled(world):
    url = "http://gpu1"
    await add_server(world, url)
    job = await enqueue(world, await add_workflow(world))
    worker = dispatcher(world)
    await worker.tick()
    await settle()
    await world.handler(CancelJobHandler)(CancelJob(job.id))
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.CANCELLED


async def test_cancel_of_a_waiting_job_is_immediate(world):
    job = await enqueue(world, await add_workflow_without_server(world))
    cancelled = await world.handler(CancelJobHandler)(CancelJob(job.id))
    assert cancelled.status is JobStatus.CANCELLED


async def add_workflow_without_server(world):
    await add_server(world, "http://tmp")
    return await add_workflow(world)


async def test_prefetch_keeps_one_more_prompt_waiting_on_the_server(world):
    await add_server(world, "http://gpu1", capacity=1)
    model = await add_workflow(world)
    jobs = [await enqueue(world, model) for _ in range(3)]
    worker = dispatcher(world)
    worker.prefetch = 1
    await worker.tick()
    await settle()
    statuses = [(await world.jobs.get(job.id)).status for job in jobs]
    assert statuses.count(JobStatus.PROCESSING) == 2 and statuses.count(JobStatus.PENDING) == 1


async def test_a_dispatcher_cancelled_as_it_is_woken_stops():
    """The cancel of a process's Ctrl-C may land in the very round a wake-up ends the idle wait: it must not be lost
    (Python 3.11's `wait_for` returned the finished wait's result instead, and the loop ran on)."""
    worker = dispatcher(await board_world())
    task = asyncio.create_task(worker.run_forever())
    while worker.last_round_at == float("-inf"):  # into the idle wait, past the first round
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    worker.wake()
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    assert task in done and task.cancelled()
