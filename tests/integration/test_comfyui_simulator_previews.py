"""Sampler live previews in both versions: one JPEG frame per step, plain (type 1) or with metadata (type 4)."""

import contextlib
import io
import json
import uuid
from pathlib import Path

import aiohttp
from PIL import Image

from simulators.comfyui import SimulatorConfig
from tests.integration.simulator_support import (
    PreviewFrame, SimulatorClient, image_workflow, legacy_config, parse_frame, receive_message, running_simulator,
    sampler_workflow,
)

METADATA_FLAGS = {"supports_preview_metadata": True, "max_upload_size": 104857600}


async def _record(sim: SimulatorClient, prompt: dict, *, flags: dict | None = None,
                  **extra: object) -> tuple[str, list[str], list[PreviewFrame]]:
    """Run a prompt on a fresh socket: (prompt id, the sampler's message kinds in order, preview frames)."""
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    if flags is not None:
        await socket.send_json({"type": "feature_flags", "data": flags})
        assert (await receive_message(socket, timeout=5))["type"] == "feature_flags"
    prompt_id = (await sim.queue_prompt(prompt, client_id, **extra))["prompt_id"]
    order, frames = [], []
    while True:
        message = await socket.receive(timeout=10)
        if message.type is aiohttp.WSMsgType.BINARY:
            frames.append(parse_frame(message.data))
            order.append(f"preview:{frames[-1].event}")
            continue
        data = json.loads(message.data)
        if data["type"] in ("progress", "progress_state") and (data["data"].get("node") == "5" or (
                data["data"].get("nodes", {}).get("5", {}).get("state") == "running")):
            order.append(data["type"])
        if data["type"] == "executing" and data["data"]["node"] is None:
            return prompt_id, order, frames


def _jpeg_size(frame: PreviewFrame) -> tuple[int, int]:
    assert frame.image[:2] == b"\xff\xd8"
    with Image.open(io.BytesIO(frame.image)) as image:
        assert image.format == "JPEG"
        return image.size


async def test_a_client_without_metadata_support_gets_a_plain_frame_after_each_progress(tmp_path: Path):
    async with running_simulator(SimulatorConfig(root=tmp_path)) as sim:
        _, order, frames = await _record(sim, sampler_workflow(steps=3))
    assert order == ["progress_state"] + ["progress_state", "progress", "preview:1"] * 3
    assert [(frame.event, frame.image_type, frame.metadata) for frame in frames] == [(1, 1, None)] * 3
    assert {_jpeg_size(frame) for frame in frames} == {(256, 171)}  # the 96x64 latent fitted into 256


async def test_a_client_announcing_preview_metadata_gets_metadata_frames_before_each_progress(tmp_path: Path):
    async with running_simulator(SimulatorConfig(root=tmp_path, preview_size=64)) as sim:
        prompt_id, order, frames = await _record(sim, sampler_workflow(steps=2), flags=METADATA_FLAGS)
    assert order == ["progress_state"] + ["progress_state", "preview:4", "progress"] * 2
    assert [frame.metadata for frame in frames] == [{
        "node_id": "5", "prompt_id": prompt_id, "display_node_id": "5", "parent_node_id": None,
        "real_node_id": "5", "image_type": "image/jpeg"}] * 2
    assert _jpeg_size(frames[0]) == (64, 43)


async def test_comfyui_0_3_64_sends_previews_too(tmp_path: Path):
    async with running_simulator(legacy_config(tmp_path)) as sim:
        _, _, plain = await _record(sim, sampler_workflow(steps=2))
        _, _, with_metadata = await _record(sim, sampler_workflow(steps=2, seed=8), flags=METADATA_FLAGS)
    assert [frame.event for frame in plain] == [1, 1] and [frame.event for frame in with_metadata] == [4, 4]


async def test_previews_can_be_switched_off_for_the_server_or_for_one_prompt(tmp_path: Path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "off", preview_method="none")) as sim:
        assert (await _record(sim, sampler_workflow(steps=2)))[2] == []
    async with running_simulator(SimulatorConfig(root=tmp_path / "today")) as sim:
        assert (await _record(sim, sampler_workflow(steps=2), extra_data={"preview_method": "none"}))[2] == []
    async with running_simulator(legacy_config(tmp_path / "legacy")) as sim:  # 0.3.64 has no per-prompt method
        assert len((await _record(sim, sampler_workflow(steps=2), extra_data={"preview_method": "none"}))[2]) == 2


async def test_only_samplers_send_previews_and_only_to_the_prompts_client(tmp_path: Path):
    async with running_simulator(SimulatorConfig(root=tmp_path)) as sim:
        bystander, _ = await sim.connect("bystander")
        await sim.run(sampler_workflow(steps=2))
        own: list[PreviewFrame] = []
        await sim.run(image_workflow(), frames=own)
        seen, frames = [], []
        with contextlib.suppress(TimeoutError):
            while True:
                seen.append((await receive_message(bystander, frames, timeout=0.3))["type"])
    assert own == [] and frames == [] and set(seen) == {"status"}
