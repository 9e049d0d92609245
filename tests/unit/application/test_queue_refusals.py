"""Refusals, waiting reasons, previews and wake-ups of the queue, over the fakes."""

import asyncio
from datetime import timedelta

import pytest

from adapters.fakes.generation_backend import DEFAULT_NODES, FakeServer
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.ports.generation_backend import WorkflowRejected
from application.queue import run_job
from application.queue.control_job import RetryJob, RetryJobHandler
from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeSpec
from domain.queue_job import JobStatus
from tests.unit.application.queue_world import add_server, add_workflow, board_world, dispatcher, enqueue, settle


@pytest.fixture
async def world():
    return await board_world()


async def register(world, url: str, **server) -> str:
    world.backend.servers[url] = FakeServer(nodes=dict(DEFAULT_NODES), **server)
    return (await world.handler(RegisterServerHandler)(RegisterServer(name=url, url=url))).id


async def run_until_settled(world, worker, job_id: str, rounds: int = 6):
    for _ in range(rounds):
        await worker.tick()
        await settle()
        world.clock.current += timedelta(seconds=30)  # past any backoff
    return await world.jobs.get(job_id)


async def test_a_prompt_refused_for_its_structure_fails_after_one_attempt_with_comfyui_s_message(world):
    for url in ("http://a", "http://b"):  # another server could take it: it is not tried
        await register(world, url, refuse=WorkflowRejected("Prompt has no outputs", permanent=True))
    job = await enqueue(world, await add_workflow(world))
    done = await run_until_settled(world, dispatcher(world), job.id, rounds=2)
    assert (done.status, done.attempt, done.error_message) == (JobStatus.FAILED, 1, "Prompt has no outputs")


async def test_a_refusal_of_one_server_moves_the_job_to_another(world):
    bad = await register(world, "http://a", refuse=WorkflowRejected("Value not in list: ckpt_name"))
    good = await register(world, "http://b")
    job = await enqueue(world, await add_workflow(world))
    done = await run_until_settled(world, dispatcher(world), job.id)
    assert done.status is JobStatus.COMPLETED and done.server_id in (bad, good)
    assert done.server_id == good


async def test_a_refusal_with_no_other_server_to_try_fails_at_once(world):
    await register(world, "http://a", refuse=WorkflowRejected("Cannot execute because node Foo does not exist."))
    job = await enqueue(world, await add_workflow(world))
    done = await run_until_settled(world, dispatcher(world), job.id, rounds=2)
    assert (done.status, done.attempt) == (JobStatus.FAILED, 1)
    assert "node Foo does not exist" in done.error_message


async def test_a_job_no_server_can_take_says_why_until_one_can(world):
    await register(world, "http://a", models=ModelCatalog(checkpoints=("other.safetensors",)))
    job = await enqueue(world, "sdxl")
    worker = dispatcher(world)
    await worker.tick()
    waiting = await world.jobs.get(job.id)
    assert waiting.status is JobStatus.PENDING
    assert waiting.waiting_reason is not None and waiting.waiting_reason.startswith("no server offers ")
    assert all(model in waiting.waiting_reason for model in waiting.required_models)
    nodes = {spec["class_type"]: NodeSpec(spec["class_type"], tuple(spec["inputs"]), is_output=key == job.output_node)
             for key, spec in (await world.jobs.workflow(job.id)).items()}
    world.backend.servers["http://b"] = FakeServer(nodes=nodes, hold=True,
                                                   models=ModelCatalog(checkpoints=waiting.required_models))
    await world.handler(RegisterServerHandler)(RegisterServer(name="b", url="http://b"))
    await worker.tick()
    await settle()
    taken = await world.jobs.get(job.id)
    assert taken.status is JobStatus.PROCESSING and taken.waiting_reason is None


async def test_previews_are_kept_at_most_twice_a_second(world, monkeypatch):
    await register(world, "http://a", previews=(b"one", b"two", b"three"))
    workflow = await add_workflow(world)
    job = await enqueue(world, workflow)
    await run_until_settled(world, dispatcher(world), job.id, rounds=1)
    assert (await world.previews.latest(job.id)).image == b"one"  # the others came within half a second
    monkeypatch.setattr(run_job, "PREVIEW_EVERY_S", 0.0)
    second = await enqueue(world, workflow)
    await run_until_settled(world, dispatcher(world), second.id, rounds=1)
    latest = await world.previews.latest(second.id)
    assert (latest.image, latest.project_id, latest.clip_id) == (b"three", second.project_id, second.clip_id)


async def test_queueing_retrying_and_server_changes_signal_the_scheduler(world):
    await register(world, "http://a", refuse=WorkflowRejected("Prompt has no outputs", permanent=True))
    assert world.signal.changed == 1  # a new server: re-read the server list
    job = await enqueue(world, await add_workflow(world))
    assert world.signal.queued == 1
    await run_until_settled(world, dispatcher(world), job.id, rounds=1)
    await world.handler(RetryJobHandler)(RetryJob(job.id))
    assert world.signal.queued == 2
