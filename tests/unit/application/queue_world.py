"""A queue over the fakes: servers, a board of clips, and a dispatcher as one API instance runs it."""

import asyncio
from datetime import timedelta

from adapters.fakes.generation_backend import DEFAULT_NODES, FakeServer
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.generation.register_workflow import RegisterWorkflow, RegisterWorkflowHandler
from application.queue.dispatcher import Dispatcher
from application.queue.enqueue_generation import EnqueueGeneration, EnqueueGenerationHandler
from application.queue.recovery import RecoverJobs
from application.queue.run_job import RunJob
from domain.node_catalog import NodeSpec
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld

WORKFLOW = {
    "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"}},
    "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["1", 1]}},
    "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "x"}},
}


async def board_world() -> FakeWorld:
    """A world with one scene of two clips."""
    world = FakeWorld()
    await build_board(world, [(2, 0, 0)], characters=0)
    return world


async def settle() -> None:
    """Let the runners' tasks take their next steps."""
    for _ in range(30):
        await asyncio.sleep(0)


async def enqueue(world: FakeWorld, model: str, clip_id: str | None = None, **fields: object):
    clip_id = clip_id or world.rows("clips")[0].id
    return await world.handler(EnqueueGenerationHandler)(EnqueueGeneration(clip_id=clip_id, model=model, **fields))


async def add_server(world: FakeWorld, url: str, *, capacity: int = 1, hold: bool = True) -> str:
    world.backend.servers[url] = FakeServer(hold=hold, nodes={**DEFAULT_NODES, "X": NodeSpec("X", ())})
    server = await world.handler(RegisterServerHandler)(RegisterServer(name=url, url=url, capacity=capacity))
    return server.id


async def add_workflow(world: FakeWorld) -> str:
    command = RegisterWorkflow(name="w", workflow=WORKFLOW, output_node="3",
                               inputs={"prompt": "2.text", "checkpoint": "1.ckpt_name"})
    return (await world.handler(RegisterWorkflowHandler)(command)).id


def dispatcher(world: FakeWorld, owner: str = "instance-1") -> Dispatcher:
    def runner() -> RunJob:
        return RunJob(world.jobs, world.backend, world.media, world.uow(), world.clock, world.ids, world.previews,
                      owner, timeout_s=30)

    recover = RecoverJobs(world.jobs, world.backend, runner, world.clock, owner, timedelta(seconds=30))
    return Dispatcher(world.jobs, world.lease, world.queue_settings, recover, world.uow, runner,
                      world.clock, owner, housekeeping_s=0.0)
