"""The GenerationBackend contract, against the fake and the ComfyUI adapter on both simulator versions.

The fake is what the queue's property tests run on; the adapter is what users run. Both must answer the
same way to the same calls, or those tests prove nothing.
"""

import asyncio
import io
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from attrs import define
from PIL import Image

from adapters.comfyui.backend import ComfyUIBackend
from adapters.fakes.generation_backend import DEFAULT_NODES, FakeGenerationBackend, FakeServer
from application.ports.generation_backend import (
    GenerationBackend, PromptEvent, PromptState, PromptStatus, WorkflowRejected,
)
from domain.node_catalog import NodeSpec
from simulators.comfyui import LEGACY_VERSION, SimulatorConfig
from tests.integration.simulator_support import running_simulator

SLOW_NODE = "ImageInvert"  # the simulator takes SLOW_S on it; the fake holds prompts using it until released
SLOW_S = 1.5


def quick() -> dict:
    return {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 255}},
            "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "contract"}}}


def slow() -> dict:
    return {"1": quick()["1"], "2": {"class_type": SLOW_NODE, "inputs": {"image": ["1", 0]}},
            "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "slow"}}}


def sampler(steps: int = 6) -> dict:
    return {
        "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
        "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "a fox", "clip": ["1", 1]}},
        "3": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
        "4": {"class_type": "KSampler", "inputs": {
            "model": ["1", 0], "seed": 1, "steps": steps, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal",
            "positive": ["2", 0], "negative": ["2", 0], "latent_image": ["3", 0], "denoise": 1.0}},
        "5": {"class_type": "VAEDecode", "inputs": {"samples": ["4", 0], "vae": ["1", 2]}},
        "6": {"class_type": "SaveImage", "inputs": {"images": ["5", 0], "filename_prefix": "fox"}},
    }


@define
class Harness:
    backend: GenerationBackend
    url: str
    executions: Callable[[], int]  # prompts the server has run so far
    release: Callable[[str], None]  # let a slow prompt finish now (the simulator finishes it by itself)


def fake_harness() -> Harness:
    nodes = {**DEFAULT_NODES, SLOW_NODE: NodeSpec(SLOW_NODE, ("image",)),
             "EmptyLatentImage": NodeSpec("EmptyLatentImage", ("width", "height", "batch_size")),
             "VAEDecode": NodeSpec("VAEDecode", ("samples", "vae"))}
    backend = FakeGenerationBackend()
    server = backend.servers["http://fake"] = FakeServer(nodes=nodes, slow_nodes=frozenset({SLOW_NODE}),
                                                         previews=(_jpeg(),))
    return Harness(backend, "http://fake", lambda: len(server.finished),
                   lambda prompt_id: backend.release("http://fake", prompt_id))


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(params=["fake", "comfyui-today", "comfyui-0.3.64"])
async def harness(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Harness]:
    if request.param == "fake":
        yield fake_harness()
        return
    version = {"comfyui-today": SimulatorConfig(root=tmp_path).comfyui_version,
               "comfyui-0.3.64": LEGACY_VERSION}[request.param]
    config = SimulatorConfig(root=tmp_path, comfyui_version=version, node_latency={SLOW_NODE: SLOW_S, "KSampler": 1.2})
    backend = ComfyUIBackend()
    async with running_simulator(config) as simulator:
        yield Harness(backend, simulator.url, lambda: simulator.state.stats.executed, lambda _prompt_id: None)
    await backend.close()


def prompt_id() -> str:
    return str(uuid.uuid4())


async def ignore(_event: PromptEvent) -> None:
    return None


async def test_a_workflow_runs_and_its_outputs_download(harness: Harness) -> None:
    pid = prompt_id()
    await harness.backend.submit(harness.url, quick(), prompt_id=pid)
    outcome = await harness.backend.follow(harness.url, pid, ignore, timeout=20)
    assert outcome.status is PromptStatus.SUCCEEDED and outcome.prompt_id == pid
    [output] = [o for o in outcome.outputs if o.node_id == "2"]
    data = b"".join([chunk async for chunk in harness.backend.download(harness.url, output)])
    assert data.startswith(b"\x89PNG")
    report = await harness.backend.status(harness.url, pid)
    assert report.state is PromptState.ENDED and report.outcome.status is PromptStatus.SUCCEEDED


async def test_an_unknown_prompt_is_unknown(harness: Harness) -> None:
    assert (await harness.backend.status(harness.url, prompt_id())).state is PromptState.UNKNOWN


async def test_a_prompt_is_active_while_it_runs(harness: Harness) -> None:
    pid = prompt_id()
    await harness.backend.submit(harness.url, slow(), prompt_id=pid)
    await asyncio.sleep(0.3)
    assert (await harness.backend.status(harness.url, pid)).state is PromptState.ACTIVE
    harness.release(pid)
    assert (await harness.backend.follow(harness.url, pid, ignore, timeout=20)).status is PromptStatus.SUCCEEDED


async def test_submitting_the_same_prompt_id_twice_runs_it_once(harness: Harness) -> None:
    pid = prompt_id()
    await harness.backend.submit(harness.url, quick(), prompt_id=pid)
    await harness.backend.follow(harness.url, pid, ignore, timeout=20)
    await harness.backend.submit(harness.url, quick(), prompt_id=pid)  # a re-post after a lost answer
    await asyncio.sleep(0.3)
    assert harness.executions() == 1
    assert (await harness.backend.status(harness.url, pid)).state is PromptState.ENDED


async def test_cancelling_a_running_prompt_interrupts_it_and_only_it(harness: Harness) -> None:
    running, other = prompt_id(), prompt_id()
    await harness.backend.submit(harness.url, slow(), prompt_id=running)
    await asyncio.sleep(0.3)
    await harness.backend.cancel(harness.url, running)
    harness.release(running)
    outcome = await harness.backend.follow(harness.url, running, ignore, timeout=20)
    assert outcome.status is PromptStatus.INTERRUPTED
    await harness.backend.submit(harness.url, quick(), prompt_id=other)
    assert (await harness.backend.follow(harness.url, other, ignore, timeout=20)).status is PromptStatus.SUCCEEDED


async def test_cancelling_a_queued_prompt_ends_its_follower_as_interrupted(harness: Harness) -> None:
    first, queued = prompt_id(), prompt_id()
    await harness.backend.submit(harness.url, slow(), prompt_id=first)
    await harness.backend.submit(harness.url, slow(), prompt_id=queued)
    follower = asyncio.create_task(harness.backend.follow(harness.url, queued, ignore, timeout=20))
    await asyncio.sleep(0.3)
    await harness.backend.cancel(harness.url, queued)
    harness.release(queued)
    assert (await follower).status is PromptStatus.INTERRUPTED
    harness.release(first)
    assert (await harness.backend.follow(harness.url, first, ignore, timeout=20)).status is PromptStatus.SUCCEEDED


async def test_a_prompt_without_outputs_is_refused_for_good(harness: Harness) -> None:
    with pytest.raises(WorkflowRejected) as refused:
        await harness.backend.submit(harness.url, {"1": quick()["1"]}, prompt_id=prompt_id())
    assert refused.value.permanent and "no outputs" in str(refused.value)


async def test_a_node_class_the_server_lacks_is_its_refusal_alone(harness: Harness) -> None:
    workflow = {**quick(), "3": {"class_type": "NoSuchNode", "inputs": {}}}
    with pytest.raises(WorkflowRejected) as refused:
        await harness.backend.submit(harness.url, workflow, prompt_id=prompt_id())
    assert not refused.value.permanent and "NoSuchNode" in str(refused.value)


async def test_sampler_previews_reach_the_follower_as_small_jpegs(harness: Harness) -> None:
    events: list[PromptEvent] = []

    async def collect(event: PromptEvent) -> None:
        events.append(event)

    pid = prompt_id()
    await harness.backend.submit(harness.url, sampler(), prompt_id=pid)
    outcome = await harness.backend.follow(harness.url, pid, collect, timeout=20)
    assert outcome.status is PromptStatus.SUCCEEDED
    previews = [event.image for event in events if event.kind == "preview"]
    assert previews and all(image is not None and image.startswith(b"\xff\xd8") for image in previews)


@pytest.mark.parametrize("version", ["today", LEGACY_VERSION])
async def test_a_post_whose_answer_was_lost_is_posted_again_and_runs_once(tmp_path: Path, version: str) -> None:
    """The simulator queues the prompt and drops the connection before answering (`drop_response`)."""
    settings = {} if version == "today" else {"comfyui_version": version}
    config = SimulatorConfig(root=tmp_path, failures={"drop_response": 1}, **settings)
    backend = ComfyUIBackend()
    try:
        async with running_simulator(config) as simulator:
            pid = prompt_id()
            await backend.submit(simulator.url, quick(), prompt_id=pid)
            outcome = await backend.follow(simulator.url, pid, ignore, timeout=20)
            assert outcome.status is PromptStatus.SUCCEEDED
            await asyncio.sleep(0.2)
            # today: the re-post is answered 409 and followed; 0.3.64: the adapter looks and finds it queued
            assert simulator.state.stats.requests == (2 if version == "today" else 1)
            assert simulator.state.stats.executed == 1
    finally:
        await backend.close()


@pytest.mark.parametrize("version", ["today", LEGACY_VERSION])
async def test_a_submit_whose_first_look_is_lost_looks_again_and_runs_once(tmp_path: Path, version: str) -> None:
    """The first look at the jobs API (how the adapter tells the versions apart) is dropped unanswered, and
    so is aiohttp's own retry of it on a fresh connection."""
    settings = {} if version == "today" else {"comfyui_version": version}
    dropped: list[str] = []

    @web.middleware
    async def drop_first_jobs_lookup(request: web.Request, handler):
        if request.path.startswith("/api/jobs/") and len(dropped) < 2:
            dropped.append(request.path)
            request.transport.close()
            return web.Response()
        return await handler(request)

    backend = ComfyUIBackend()
    try:
        async with running_simulator(SimulatorConfig(root=tmp_path, **settings),
                                     middlewares=[drop_first_jobs_lookup]) as simulator:
            pid = prompt_id()
            await backend.submit(simulator.url, quick(), prompt_id=pid)
            outcome = await backend.follow(simulator.url, pid, ignore, timeout=20)
            assert dropped and outcome.status is PromptStatus.SUCCEEDED
            assert simulator.state.stats.executed == 1
    finally:
        await backend.close()
