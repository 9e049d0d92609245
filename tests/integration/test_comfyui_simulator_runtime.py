"""The simulator renders real files, reports sampler progress, pays model switches and respects capacity."""

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import av
import pytest
from PIL import Image

from simulators.comfyui import SimulatorConfig
from tests.integration.simulator_support import (
    SimulatorClient, empty_image, image_workflow, kinds, receive_message, running_simulator, sampler_workflow,
    save_image, without_asset_ids,
)


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    config = SimulatorConfig(root=tmp_path, node_latency={"KSampler": 0.2, "SamplerCustomAdvanced": 0.1})
    async with running_simulator(config) as client:
        yield client


def _output(messages: list, node: str) -> dict:
    """A node's `executed` output, without today's asset ids."""
    output = next(m["data"]["output"] for m in messages if m["type"] == "executed" and m["data"]["node"] == node)
    return without_asset_ids(output)


async def test_a_sampler_reports_each_step_with_progress_state_then_progress(sim):
    prompt_id, messages = await sim.run(sampler_workflow(steps=4))
    sampler = [m for m in messages if m["data"].get("node") == "5" or "5" in m["data"].get("nodes", {})]
    steps = [m for m in sampler if m["type"] == "progress"]
    assert [m["data"] for m in steps] == [{"value": i, "max": 4, "prompt_id": prompt_id, "node": "5"}
                                          for i in range(1, 5)]
    for step in steps:
        before = sampler[sampler.index(step) - 1]
        assert before["type"] == "progress_state"
        assert before["data"]["nodes"]["5"] | {} == {**before["data"]["nodes"]["5"], "state": "running",
                                                     "value": step["data"]["value"], "max": 4}
    finished = next(m for m in sampler[sampler.index(steps[-1]):] if m["type"] == "progress_state")
    assert (finished["data"]["nodes"]["5"]["state"], finished["data"]["nodes"]["5"]["value"]) == ("finished", 4)


async def test_a_sampler_spreads_its_latency_over_its_steps(sim):
    started = time.monotonic()
    await sim.run(sampler_workflow(steps=5))
    assert 0.2 <= time.monotonic() - started < 2


async def test_the_decoded_image_has_the_latent_size_and_a_colour_from_seed_and_text(sim, tmp_path):
    _, messages = await sim.run(sampler_workflow(seed=1, prefix="one"))
    await sim.run(sampler_workflow(seed=2, prefix="two"))
    assert _output(messages, "7") == {"images": [{"filename": "one_00001_.png", "subfolder": "", "type": "output"}]}
    output = tmp_path / "output"
    with Image.open(output / "one_00001_.png") as one, Image.open(output / "two_00001_.png") as two:
        assert one.size == (96, 64)
        assert one.getpixel((90, 60)) != two.getpixel((90, 60))


async def test_an_interrupt_stops_a_sampler_between_steps(sim):
    client_id = "interrupt-sampler"
    socket, _ = await sim.connect(client_id)
    answer = await sim.queue_prompt(sampler_workflow(steps=50), client_id)
    while (await receive_message(socket, timeout=5))["type"] != "progress":
        pass
    await sim.post_json("/interrupt", {})
    messages = []
    while not messages or messages[-1]["type"] != "execution_interrupted":
        messages.append(await receive_message(socket, timeout=5))
    assert messages[-1]["data"]["node_id"] == "5"
    assert len([m for m in messages if m["type"] == "progress"]) < 49
    assert answer["prompt_id"] == messages[-1]["data"]["prompt_id"]


async def test_batches_and_animations_write_the_recorded_files(sim, tmp_path):
    _, batch = await sim.run(image_workflow(prefix="slow", batch_size=4))
    assert [e["filename"] for e in _output(batch, "2")["images"]] == [f"slow_0000{i}_.png" for i in range(1, 5)]
    webp = {"1": empty_image(batch_size=4, color=255), "2": {"class_type": "SaveAnimatedWEBP", "inputs": {
        "images": ["1", 0], "filename_prefix": "probe_anim", "fps": 6.0, "lossless": False, "quality": 80,
        "method": "default"}}}
    _, messages = await sim.run(webp)
    assert _output(messages, "2") == {"images": [{"filename": "probe_anim_00001_.webp", "subfolder": "",
                                                  "type": "output"}], "animated": [True]}
    apng = {"1": empty_image(batch_size=3, color=65280), "2": {"class_type": "SaveAnimatedPNG", "inputs": {
        "images": ["1", 0], "filename_prefix": "probe_apng", "fps": 6.0, "compress_level": 4}}}
    _, messages = await sim.run(apng)
    assert _output(messages, "2")["animated"] == [True]
    with Image.open(tmp_path / "output" / "probe_anim_00001_.webp") as anim, \
            Image.open(tmp_path / "output" / "probe_apng_00001_.png") as png:
        assert (anim.n_frames, png.n_frames) == (1, 1)  # Pillow merges identical frames, as on the real server


async def test_animations_of_decoded_video_frames_keep_every_frame(sim, tmp_path):
    prompt = _wan_video({"9": {"class_type": "SaveAnimatedWEBP", "inputs": {
        "images": ["8", 0], "filename_prefix": "frames", "fps": 8.0, "lossless": True, "quality": 80,
        "method": "fastest"}}})
    await sim.run(prompt)
    with Image.open(tmp_path / "output" / "frames_00001_.webp") as animation:
        assert animation.n_frames == 9 and animation.size == (64, 48)


async def test_preview_images_go_to_temp(sim, tmp_path):
    _, messages = await sim.run({"1": empty_image(32, 32), "2": {"class_type": "PreviewImage",
                                                               "inputs": {"images": ["1", 0]}}})
    entry = _output(messages, "2")["images"][0]
    assert entry["type"] == "temp" and entry["filename"].startswith("ComfyUI_temp_")
    assert (tmp_path / "temp" / entry["filename"]).is_file()


def _wan_video(save: dict) -> dict:
    return {
        "1": {"class_type": "UNETLoader", "inputs": {"unet_name": "wan2.1_t2v_1.3B_fp16.safetensors",
                                                     "weight_dtype": "default"}},
        "2": {"class_type": "CLIPLoader", "inputs": {"clip_name": "umt5_xxl_fp8_e4m3fn_scaled.safetensors",
                                                     "type": "wan"}},
        "3": {"class_type": "VAELoader", "inputs": {"vae_name": "wan_2.1_vae.safetensors"}},
        "4": {"class_type": "CLIPTextEncode", "inputs": {"text": "waves at dusk", "clip": ["2", 0]}},
        "5": {"class_type": "EmptyHunyuanLatentVideo", "inputs": {"width": 64, "height": 48, "length": 9,
                                                                  "batch_size": 1}},
        "6": {"class_type": "ModelSamplingSD3", "inputs": {"model": ["1", 0], "shift": 8.0}},
        "7": {"class_type": "KSampler", "inputs": {
            "model": ["6", 0], "seed": 3, "steps": 2, "cfg": 6.0, "sampler_name": "uni_pc", "scheduler": "simple",
            "positive": ["4", 0], "negative": ["4", 0], "latent_image": ["5", 0], "denoise": 1.0}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["7", 0], "vae": ["3", 0]}},
        **save,
    }


async def test_save_video_writes_an_h264_mp4_with_every_frame(sim, tmp_path):
    prompt = _wan_video({
        "9": {"class_type": "CreateVideo", "inputs": {"images": ["8", 0], "fps": 16.0}},
        "10": {"class_type": "SaveVideo", "inputs": {"video": ["9", 0], "filename_prefix": "video/ComfyUI",
                                                     "format": "auto", "codec": "auto"}}})
    _, messages = await sim.run(prompt)
    assert _output(messages, "10") == {"images": [{"filename": "ComfyUI_00001_.mp4", "subfolder": "video",
                                                   "type": "output"}], "animated": [True]}
    with av.open(str(tmp_path / "output" / "video" / "ComfyUI_00001_.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and (stream.width, stream.height) == (64, 48)
        assert sum(1 for _ in container.decode(video=0)) == 9
    params = {"filename": "ComfyUI_00001_.mp4", "subfolder": "video", "type": "output"}
    async with sim.session.get("/view", params=params) as response:
        assert response.headers["Content-Type"] == "video/mp4" and (await response.read())[4:11] == b"ftypiso"


async def test_save_webm_writes_a_vp9_file(sim, tmp_path):
    prompt = _wan_video({"9": {"class_type": "SaveWEBM", "inputs": {
        "images": ["8", 0], "filename_prefix": "clip", "codec": "vp9", "fps": 24.0, "crf": 32.0}}})
    _, messages = await sim.run(prompt)
    assert _output(messages, "9")["images"][0]["filename"] == "clip_00001_.webm"
    with av.open(str(tmp_path / "output" / "clip_00001_.webm")) as container:
        assert container.streams.video[0].codec_context.name == "vp9"
        assert sum(1 for _ in container.decode(video=0)) == 9


async def test_a_flux_style_custom_sampler_graph_runs(sim, tmp_path):
    prompt = {
        "1": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors", "weight_dtype": "default"}},
        "2": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "clip_l.safetensors",
                                                         "clip_name2": "t5xxl_fp16.safetensors", "type": "flux"}},
        "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["2", 0]}},
        "4": {"class_type": "FluxGuidance", "inputs": {"conditioning": ["3", 0], "guidance": 3.5}},
        "5": {"class_type": "BasicGuider", "inputs": {"model": ["1", 0], "conditioning": ["4", 0]}},
        "6": {"class_type": "KSamplerSelect", "inputs": {"sampler_name": "euler"}},
        "7": {"class_type": "BasicScheduler", "inputs": {"model": ["1", 0], "scheduler": "simple", "steps": 3,
                                                         "denoise": 1.0}},
        "8": {"class_type": "RandomNoise", "inputs": {"noise_seed": 11}},
        "9": {"class_type": "EmptySD3LatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
        "10": {"class_type": "SamplerCustomAdvanced", "inputs": {"noise": ["8", 0], "guider": ["5", 0],
                                                                 "sampler": ["6", 0], "sigmas": ["7", 0],
                                                                 "latent_image": ["9", 0]}},
        "11": {"class_type": "VAELoader", "inputs": {"vae_name": "ae.safetensors"}},
        "12": {"class_type": "VAEDecode", "inputs": {"samples": ["10", 0], "vae": ["11", 0]}},
        "13": save_image("12", "flux"),
    }
    _, messages = await sim.run(prompt)
    assert [m["data"]["value"] for m in messages if m["type"] == "progress"] == [1, 2, 3]
    assert (tmp_path / "output" / "flux_00001_.png").is_file()


async def test_a_different_checkpoint_costs_the_model_switch_delay(tmp_path):
    config = SimulatorConfig(root=tmp_path, model_switch_delay=0.4)
    async with running_simulator(config) as sim:
        durations = []
        for ckpt, seed in [("sd_xl_base_1.0.safetensors", 1), ("sd_xl_base_1.0.safetensors", 2),
                           ("flux1-dev-fp8.safetensors", 3)]:
            started = time.monotonic()
            await sim.run(sampler_workflow(ckpt=ckpt, seed=seed))
            durations.append(time.monotonic() - started)
        stats = await sim.get_json("/sim/stats")
    assert durations[0] >= 0.4 and durations[1] < 0.3 and durations[2] >= 0.4
    assert stats["model_switches"] == 2
    assert stats["slots"] == [{"slot": 0, "model": "flux1-dev-fp8.safetensors"}]


def _overlaps(stats: dict) -> bool:
    first, second = sorted(stats["prompts"], key=lambda p: p["started"])
    return second["started"] < first["finished"]


@pytest.mark.parametrize(("capacity", "overlap"), [(1, False), (2, True)])
async def test_capacity_bounds_how_many_prompts_run_at_once(tmp_path, capacity, overlap):
    config = SimulatorConfig(root=tmp_path, capacity=capacity, latency=0.15)
    async with running_simulator(config) as sim:
        started = time.monotonic()
        runs = await asyncio.gather(*(sim.run(image_workflow(prefix=f"c{i}", color=i)) for i in range(2)))
        elapsed = time.monotonic() - started
        stats = await sim.get_json("/sim/stats")
    assert all("execution_success" in kinds(messages) for _, messages in runs)
    assert _overlaps(stats) is overlap
    assert (elapsed < 0.55) is overlap
    assert {p["slot"] for p in stats["prompts"]} == set(range(capacity))


async def test_a_samplers_step_reports_keep_to_its_latency_however_long_a_preview_takes(tmp_path):
    """Rendering a preview is part of a step's time: the configured latency is the sampler's whole time."""
    from simulators.comfyui.nodes.interface import NodeContext

    latency, steps, render_s = 0.4, 8, 0.03
    loop = asyncio.get_running_loop()
    reported: list[float] = []

    async def slow_step(value: int, total: int, target: object) -> None:
        reported.append(loop.time())
        time.sleep(render_s)  # a preview rendered on the event loop, as the simulator renders it

    context = NodeContext(node_id="5", config=SimulatorConfig(root=tmp_path, node_latency={"KSampler": latency}),
                          slot=None, step=slow_step, prompt={"5": {"class_type": "KSampler", "inputs": {}}},
                          extra_pnginfo=None, temp_suffix="abcde")
    started = loop.time()
    await context.sample(steps)
    took = loop.time() - started
    assert [round(at - started, 2) >= round(latency * k / steps, 2) for k, at in enumerate(reported, 1)] == [True] * 8
    assert took < latency + render_s + 0.1  # the old pacing added every step's rendering: >= 0.64 s
