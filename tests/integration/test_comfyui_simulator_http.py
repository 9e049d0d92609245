"""The simulator's HTTP surface answers like ComfyUI 0.3.64: queue, history, view, upload and info routes."""

import io
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from simulators.comfyui import SimulatorConfig
from tests.integration.simulator_support import (
    SimulatorClient, image_workflow, legacy_config, next_of_type, running_simulator, save_image, slow_workflow,
    until_done,
)

EMPTY_IMAGE_INFO = {
    "input": {"required": {"width": ["INT", {"default": 512, "min": 1, "max": 16384, "step": 1}],
                           "height": ["INT", {"default": 512, "min": 1, "max": 16384, "step": 1}],
                           "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}],
                           "color": ["INT", {"default": 0, "min": 0, "max": 16777215, "step": 1, "display": "color"}]}},
    "input_order": {"required": ["width", "height", "batch_size", "color"]},
    "output": ["IMAGE"], "output_is_list": [False], "output_name": ["IMAGE"], "name": "EmptyImage",
    "display_name": "EmptyImage", "description": "", "python_module": "nodes", "category": "image",
    "output_node": False,
}


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    config = legacy_config(tmp_path, node_latency={"ImageBlur": 0.3})
    async with running_simulator(config) as client:
        yield client


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def _upload(sim: SimulatorClient, data: bytes, name: str = "probe_upload.png", **fields: str) -> tuple[int, str]:
    form = aiohttp.FormData()
    form.add_field("image", data, filename=name, content_type="image/png")
    for key, value in fields.items():
        form.add_field(key, value)
    async with sim.session.post("/upload/image", data=form) as response:
        return response.status, await response.text()


async def test_queue_items_are_five_lists_and_front_jumps_ahead_with_a_negative_number(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    first = await sim.queue_prompt(slow_workflow("a"), client_id)
    second = await sim.queue_prompt(slow_workflow("b", color=1), client_id)
    third = await sim.queue_prompt(slow_workflow("c", color=2), client_id, front=True)
    assert (first["number"], second["number"], third["number"]) == (0, 1, -2)
    await next_of_type(socket, "executing", node="2", prompt_id=first["prompt_id"])
    queue = await sim.get_json("/queue")
    assert [item[:2] for item in queue["queue_running"]] == [[0, first["prompt_id"]]]
    assert queue["queue_running"][0][3:] == [{"client_id": client_id}, ["4"]]
    assert queue["queue_running"][0][2] == slow_workflow("a")
    assert [item[:2] for item in queue["queue_pending"]] == [[-2, third["prompt_id"]], [1, second["prompt_id"]]]
    await until_done(socket, first["prompt_id"])
    assert (await next_of_type(socket, "execution_start"))["data"]["prompt_id"] == third["prompt_id"]


async def test_a_client_supplied_prompt_id_is_used_as_given(sim):
    answer = await sim.queue_prompt(image_workflow(), prompt_id="my-own-id")
    assert answer["prompt_id"] == "my-own-id" and answer["node_errors"] == {}


async def test_deleted_and_cleared_queue_items_never_run_nor_reach_history(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    running = await sim.queue_prompt(slow_workflow("a"), client_id)
    deleted = await sim.queue_prompt(slow_workflow("b", color=1), client_id)
    cleared = await sim.queue_prompt(slow_workflow("c", color=2), client_id)
    assert await sim.post_json("/queue", {"delete": [deleted["prompt_id"]]}) == (200, "")
    assert [item[1] for item in (await sim.get_json("/queue"))["queue_pending"]] == [cleared["prompt_id"]]
    assert await sim.post_json("/queue", {"clear": True}) == (200, "")
    await until_done(socket, running["prompt_id"])
    assert await sim.get_json("/queue") == {"queue_running": [], "queue_pending": []}
    assert await sim.get_json(f"/history/{deleted['prompt_id']}") == {}
    assert await sim.get_json(f"/history/{cleared['prompt_id']}") == {}


async def test_get_prompt_reports_the_remaining_count(sim):
    assert await sim.get_json("/prompt") == {"exec_info": {"queue_remaining": 0}}


async def test_history_entries_have_the_recorded_shape(sim):
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    answer = await sim.queue_prompt(image_workflow(), client_id)
    await until_done(socket, answer["prompt_id"])
    prompt_id = answer["prompt_id"]
    entry = (await sim.get_json(f"/history/{prompt_id}"))[prompt_id]
    assert entry["prompt"] == [0, prompt_id, image_workflow(), {"client_id": client_id}, ["2"]]
    assert entry["outputs"] == {"2": {"images": [{"filename": "probe_00001_.png", "subfolder": "", "type": "output"}]}}
    assert entry["meta"] == {"2": {"node_id": "2", "display_node": "2", "parent_node": None, "real_node_id": "2"}}
    assert entry["status"]["status_str"] == "success" and entry["status"]["completed"] is True
    assert [m[0] for m in entry["status"]["messages"]] == ["execution_start", "execution_cached", "execution_success"]


async def test_history_window_delete_and_clear(sim):
    ids = [(await sim.run(image_workflow(prefix=f"h{i}", color=i)))[0] for i in range(3)]
    assert list(await sim.get_json("/history")) == ids
    assert list(await sim.get_json("/history?max_items=1")) == [ids[-1]]
    assert list(await sim.get_json("/history?max_items=1&offset=0")) == [ids[0]]
    assert await sim.get_json("/history/unknown") == {}
    assert await sim.post_json("/history", {"delete": [ids[0]]}) == (200, "")
    assert await sim.get_json(f"/history/{ids[0]}") == {}
    assert await sim.post_json("/history", {"clear": True}) == (200, "")
    assert await sim.get_json("/history") == {}


async def test_view_serves_outputs_with_type_disposition_and_cache_headers(sim):
    await sim.run(image_workflow())
    params = {"filename": "probe_00001_.png", "subfolder": "", "type": "output"}
    async with sim.session.get("/view", params=params) as r:
        body = await r.read()
        assert r.status == 200 and r.headers["Content-Type"] == "image/png"
        assert r.headers["Content-Disposition"] == 'filename="probe_00001_.png"'
        assert r.headers["ETag"] and r.headers["Last-Modified"]
    assert body.startswith(bytes.fromhex("89504e470d0a1a0a"))
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (64, 64) and image.getpixel((0, 0)) == (255, 0, 0)
        assert json.loads(image.text["prompt"]) == image_workflow()


async def test_view_preview_converts_to_webp(sim):
    await sim.run(image_workflow())
    async with sim.session.get("/view", params={"filename": "probe_00001_.png", "preview": "webp;50"}) as r:
        assert r.status == 200 and r.headers["Content-Type"] == "image/webp"
        assert (await r.read())[8:12] == b"WEBP"


@pytest.mark.parametrize(("params", "status"), [
    ({"filename": "nothing.png"}, 404),
    ({"filename": "../secret.png"}, 400),
    ({"filename": "/etc/passwd"}, 400),
    ({"filename": "a.png", "subfolder": "../.."}, 403),
    ({"filename": "a.png", "type": "elsewhere"}, 400),
    ({}, 404),
])
async def test_view_refuses_missing_files_and_escapes_with_an_empty_body(sim, params, status):
    async with sim.session.get("/view", params=params) as response:
        assert response.status == status and await response.read() == b""


async def test_upload_keeps_the_name_for_identical_bytes_and_numbers_different_ones(sim, tmp_path):
    expected = '{"name": "probe_upload.png", "subfolder": "", "type": "input"}'
    assert await _upload(sim, _png((1, 2, 3))) == (200, expected)
    assert json.loads((await _upload(sim, _png((1, 2, 3))))[1])["name"] == "probe_upload.png"
    assert json.loads((await _upload(sim, _png((9, 9, 9))))[1])["name"] == "probe_upload (1).png"
    assert json.loads((await _upload(sim, _png((8, 8, 8))))[1])["name"] == "probe_upload (2).png"
    overwritten = json.loads((await _upload(sim, _png((7, 7, 7)), overwrite="true"))[1])
    assert overwritten["name"] == "probe_upload.png"
    assert (tmp_path / "input" / "probe_upload.png").read_bytes() == _png((7, 7, 7))


async def test_upload_into_a_subfolder_is_viewable_as_input(sim):
    status, text = await _upload(sim, _png((5, 6, 7)), subfolder="sub")
    assert status == 200 and json.loads(text) == {"name": "probe_upload.png", "subfolder": "sub", "type": "input"}
    params = {"filename": "probe_upload.png", "subfolder": "sub", "type": "input"}
    async with sim.session.get("/view", params=params) as response:
        assert response.status == 200 and await response.read() == _png((5, 6, 7))


async def test_upload_without_an_image_or_escaping_is_a_bare_400(sim):
    async with sim.session.post("/upload/image", data=aiohttp.FormData({"type": "input"})) as response:
        assert response.status == 400 and await response.read() == b""
    assert await _upload(sim, _png((1, 1, 1)), subfolder="../..") == (400, "")


async def test_uploaded_images_become_load_image_choices_and_load_then_scale(sim, tmp_path):
    await _upload(sim, _png((0, 0, 255)))
    (tmp_path / "input" / "notes.txt").write_text("not an image")
    info = (await sim.get_json("/object_info/LoadImage"))["LoadImage"]
    assert info["input"]["required"]["image"] == [["probe_upload.png"], {"image_upload": True}]
    prompt = {"1": {"class_type": "LoadImage", "inputs": {"image": "probe_upload.png"}},
              "2": {"class_type": "ImageScale", "inputs": {"image": ["1", 0], "upscale_method": "nearest-exact",
                                                           "width": 80, "height": 60, "crop": "disabled"}},
              "3": save_image("2", "probe_scaled")}
    prompt_id, _ = await sim.run(prompt)
    with Image.open(tmp_path / "output" / "probe_scaled_00001_.png") as image:
        assert image.size == (80, 60) and image.getpixel((40, 30)) == (0, 0, 255)
    await _upload(sim, _png((0, 255, 0)), overwrite="1")
    _, rerun = await sim.run(prompt)
    assert next(m for m in rerun if m["type"] == "execution_cached")["data"]["nodes"] == []


async def test_object_info_has_the_real_entries(sim):
    everything = await sim.get_json("/object_info")
    assert everything["EmptyImage"] == EMPTY_IMAGE_INFO
    assert {"KSampler", "SaveVideo", "WanImageToVideo", "SaveAnimatedWEBP"} <= set(everything)
    assert await sim.get_json("/object_info/EmptyImage") == {"EmptyImage": EMPTY_IMAGE_INFO}
    assert await sim.get_json("/object_info/NoSuchNode") == {}
    save = everything["SaveImage"]
    assert save["output"] == [] and save["output_node"] is True
    assert save["input"]["hidden"] == {"prompt": "PROMPT", "extra_pnginfo": "EXTRA_PNGINFO"}


async def test_info_routes(sim):
    assert await sim.get_json("/features") == {"supports_preview_metadata": True, "max_upload_size": 104857600}
    stats = await sim.get_json("/system_stats")
    assert stats["system"]["comfyui_version"] == "0.3.64" and stats["system"]["os"] == "posix"
    assert set(stats["devices"][0]) == {"name", "type", "index", "vram_total", "vram_free", "torch_vram_total",
                                        "torch_vram_free"}
    folders = await sim.get_json("/models")
    assert folders[:3] == ["checkpoints", "configs", "loras"] and "diffusion_models" in folders
    assert "sd_xl_base_1.0.safetensors" in await sim.get_json("/models/checkpoints")
    async with sim.session.get("/models/unet") as response:
        assert response.status == 404
    assert await sim.get_json("/embeddings") == []
    assert await sim.get_json("/api/prompt") == {"exec_info": {"queue_remaining": 0}}


async def test_a_foreign_origin_is_refused_on_loopback(sim):
    headers = {"Origin": "http://evil.example"}
    async with sim.session.post("/prompt", json={"prompt": image_workflow()}, headers=headers) as response:
        assert response.status == 403
    headers = {"Origin": f"http://127.0.0.1:{sim.port}"}
    async with sim.session.get("/prompt", headers=headers) as response:
        assert response.status == 200


async def test_cors_header_mode_allows_browsers(tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path, cors_origin="*")) as sim:
        async with sim.session.get("/prompt", headers={"Origin": "http://elsewhere:3000"}) as response:
            assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
