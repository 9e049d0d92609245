"""Today's ComfyUI (the simulator's default) against 0.3.64: prompt ids, repeated ids, stamps, asset ids, info."""

import io
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from simulators.comfyui import CURRENT_VERSION, SimulatorConfig
from tests.integration.simulator_support import (
    SimulatorClient, image_workflow, legacy_config, new_prompt_id, running_simulator, until_done,
)

INVALID_ID = {"error": {"type": "invalid_prompt_id", "message": "prompt_id must be a valid UUID",
                        "details": "prompt_id must be a UUID string in canonical lowercase hyphenated form; "
                                   "omit it to let the server generate one", "extra_info": {}}, "node_errors": {}}


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    async with running_simulator(SimulatorConfig(root=tmp_path)) as client:
        yield client


@pytest.fixture
async def legacy(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    async with running_simulator(legacy_config(tmp_path)) as client:
        yield client


@pytest.mark.parametrize("prompt_id", ["my-own-id", str(uuid.uuid4()).upper(), uuid.uuid4().hex, 42])
async def test_today_a_prompt_id_that_is_not_a_canonical_uuid_is_refused(sim, prompt_id):
    assert await sim.post_json("/prompt", {"prompt": image_workflow(), "prompt_id": prompt_id}) == (400, INVALID_ID)
    assert (await sim.queue_prompt(image_workflow()))["number"] == 1  # the refused post used up number 0
    stats = await sim.get_json("/sim/stats")
    assert [p["number"] for p in stats["prompts"]] == [1]


async def test_today_the_id_is_checked_before_the_prompt_is_validated(sim):
    status, body = await sim.post_json("/prompt", {"prompt": {}, "prompt_id": "bad"})
    assert (status, body["error"]["type"]) == (400, "invalid_prompt_id")


async def test_today_an_absent_or_null_id_is_minted_and_a_given_uuid_is_kept(sim):
    minted = (await sim.queue_prompt(image_workflow(), prompt_id=None))["prompt_id"]
    assert str(uuid.UUID(minted)) == minted
    wanted = new_prompt_id()
    assert (await sim.queue_prompt(image_workflow(prefix="given"), prompt_id=wanted))["prompt_id"] == wanted


async def test_today_a_repeated_id_is_409_and_runs_once_while_held(sim):
    prompt_id, client_id = new_prompt_id(), uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    body = {"prompt": image_workflow(), "prompt_id": prompt_id, "client_id": client_id}
    assert (await sim.post_json("/prompt", body))[0] == 200
    assert await sim.post_json("/prompt", body) == (409, {"error": "prompt_id already exists"})
    await until_done(socket, prompt_id)
    assert await sim.post_json("/prompt", body) == (409, {"error": "prompt_id already exists"})  # in history
    stats = await sim.get_json("/sim/stats")
    assert (stats["requests"], stats["executed"], len(stats["prompts"])) == (3, 1, 1)
    await sim.post_json("/history", {"delete": [prompt_id]})
    assert (await sim.post_json("/prompt", body))[0] == 200  # forgotten ids may be used again


async def test_today_the_server_stamps_create_time_in_milliseconds(sim):
    before = int(time.time() * 1000)
    client_id = uuid.uuid4().hex
    socket, _ = await sim.connect(client_id)
    answer = await sim.queue_prompt(image_workflow(), client_id, extra_data={"api_key_comfy_org": "secret"})
    await until_done(socket, answer["prompt_id"])
    extra_data = (await sim.get_json(f"/history/{answer['prompt_id']}"))[answer["prompt_id"]]["prompt"][3]
    assert set(extra_data) == {"client_id", "create_time"}
    assert before <= extra_data["create_time"] <= int(time.time() * 1000)


async def test_today_outputs_carry_asset_ids_in_messages_and_history_also_when_cached(sim):
    prompt_id, messages = await sim.run(image_workflow())
    [executed] = [m["data"]["output"] for m in messages if m["type"] == "executed"]
    [entry] = executed["images"]
    assert set(entry) == {"filename", "subfolder", "type", "id"} and str(uuid.UUID(entry["id"])) == entry["id"]
    history = (await sim.get_json(f"/history/{prompt_id}"))[prompt_id]
    assert history["outputs"]["2"] == executed
    _, again = await sim.run(image_workflow())
    assert [m["data"]["output"] for m in again if m["type"] == "executed"] == [executed]


async def test_today_uploads_are_registered_assets_viewable_by_hash(sim):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG")
    form = aiohttp.FormData()
    form.add_field("image", buffer.getvalue(), filename="up.png", content_type="image/png")
    async with sim.session.post("/upload/image", data=form) as response:
        answer = await response.json()
    asset = answer.pop("asset")
    assert answer == {"name": "up.png", "subfolder": "", "type": "input"}
    assert (asset["name"], asset["size"], asset["mime_type"], asset["tags"]) == (
        "up.png", len(buffer.getvalue()), "image/png", ["input"])
    assert str(uuid.UUID(asset["id"])) == asset["id"] and asset["asset_hash"].startswith("blake3:")
    async with sim.session.get("/view", params={"filename": asset["asset_hash"]}) as response:
        assert response.status == 200 and await response.read() == buffer.getvalue()


async def test_today_object_info_entries_carry_the_new_keys_in_place(sim):
    info = (await sim.get_json("/object_info/EmptyImage"))["EmptyImage"]
    keys = list(info)
    assert keys[keys.index("input_order") + 1] == "is_input_list" and info["is_input_list"] is False
    assert keys[keys.index("output_node") + 1] == "has_intermediate_output"
    assert info["has_intermediate_output"] is False and info["search_aliases"] == []
    assert (await sim.get_json("/object_info"))["SaveImage"]["search_aliases"] == []


async def test_today_info_routes_report_the_version_and_features(sim):
    system = (await sim.get_json("/system_stats"))["system"]
    assert (system["comfyui_version"], system["os"]) == (CURRENT_VERSION, sys.platform)
    features = await sim.get_json("/features")
    assert features["supports_preview_metadata"] is True and features["assets"] is True
    assert features["max_upload_size"] == 104857600


async def test_today_an_unknown_class_is_missing_node_type(sim):
    prompt = {**image_workflow(), "3": {"class_type": "NoSuchNode", "inputs": {}, "_meta": {"title": "Mine"}}}
    status, body = await sim.post_json("/prompt", {"prompt": prompt})
    assert status == 400 and body["node_errors"] == {}
    assert body["error"] == {"type": "missing_node_type",
                             "message": "Node 'Mine' not found. The custom node may not be installed.",
                             "details": "Node ID '#3'",
                             "extra_info": {"node_id": "3", "class_type": "NoSuchNode", "node_title": "Mine"}}


async def test_legacy_ids_are_used_as_given_and_a_repeated_id_runs_again(legacy):
    client_id = uuid.uuid4().hex
    socket, _ = await legacy.connect(client_id)
    for _ in range(2):
        answer = await legacy.queue_prompt(image_workflow(), client_id, prompt_id="my-own-id")
        assert answer["prompt_id"] == "my-own-id"
        await until_done(socket, "my-own-id")
    stats = await legacy.get_json("/sim/stats")
    assert (stats["requests"], stats["executed"]) == (2, 2)
    extra_data = (await legacy.get_json("/history/my-own-id"))["my-own-id"]["prompt"][3]
    assert extra_data == {"client_id": client_id}


async def test_legacy_has_no_jobs_api_and_no_asset_ids(legacy):
    for method, path in [("GET", "/api/jobs"), ("GET", "/api/jobs/x"), ("POST", f"/api/jobs/{uuid.uuid4()}/cancel"),
                         ("POST", "/api/jobs/cancel")]:
        async with legacy.session.request(method, path, json={}) as response:
            assert (response.status, await response.text()) == (404, "404: Not Found")
    _, messages = await legacy.run(image_workflow())
    [output] = [m["data"]["output"] for m in messages if m["type"] == "executed"]
    assert output == {"images": [{"filename": "probe_00001_.png", "subfolder": "", "type": "output"}]}
    assert (await legacy.get_json("/system_stats"))["system"]["comfyui_version"] == "0.3.64"
    assert "is_input_list" not in (await legacy.get_json("/object_info/EmptyImage"))["EmptyImage"]
