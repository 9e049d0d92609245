"""A clip generated end to end on today's ComfyUI and on 0.3.64: two simulators registered, progress and
previews on the WebSocket, the take in the gallery."""

import asyncio

import pytest

from simulators.comfyui import CURRENT_VERSION, LEGACY_VERSION, SimulatorConfig
from tests.api.helpers import new_clip, new_project, new_scene
from tests.integration.simulator_support import running_simulator

API = "/api/v1"


@pytest.fixture(params=[CURRENT_VERSION, LEGACY_VERSION])
async def simulators(request, tmp_path):
    configs = [SimulatorConfig(root=tmp_path / f"sim{i}", node_latency={"KSampler": 0.8}, comfyui_version=request.param)
               for i in range(2)]
    async with running_simulator(configs[0]) as first, running_simulator(configs[1]) as second:
        yield [first, second]


async def register(client, simulator, name):
    response = await client.post(f"{API}/comfyui/servers", json={"name": name, "url": simulator.url, "capacity": 1})
    assert response.status == 201, await response.text()
    return await response.json()


async def test_a_clip_is_generated_on_a_registered_simulator_with_live_progress(client, simulators):
    servers = [await register(client, sim, f"sim{i}") for i, sim in enumerate(simulators)]
    assert all(server["health"]["status"] == "up" for server in servers)
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clips = [await new_clip(client, scene["id"], image_prompt=f"shot {i}", length=2) for i in range(2)]
    socket = await client.ws_connect(f"{API}/ws")
    await socket.send_json({"type": "subscribe_queue", "data": {"project_id": project["id"]}})
    snapshot = await socket.receive_json(timeout=5)
    assert snapshot["type"] == "queue_snapshot" and snapshot["data"]["jobs"] == []

    jobs = []
    for clip in clips:
        response = await client.post(f"{API}/generation", json={"clip_id": clip["id"], "kind": "image",
                                                                "model": "sdxl", "params": {"steps": 4}})
        assert response.status == 202, await response.text()
        jobs.append(await response.json())
    updates, previews = await _updates_until_done(socket, {job["id"] for job in jobs})
    assert {u["status"] for u in updates} >= {"processing", "completed"}
    assert any(0 < u["progress"] < 100 for u in updates), "progress ticks are relayed"
    assert {p["job_id"] for p in previews} == {job["id"] for job in jobs}, "every job's sampler previews arrive"
    assert all(p["image"].startswith("data:image/jpeg;base64,/9j/") and p["project_id"] == project["id"]
               for p in previews)
    latest = await client.get(f"{API}/queue/jobs/{jobs[0]['id']}/preview")
    assert latest.status == 200 and latest.content_type == "image/jpeg"
    assert (await latest.read()).startswith(b"\xff\xd8")

    done = [await (await client.get(f"{API}/queue/jobs/{job['id']}")).json() for job in jobs]
    assert {job["status"] for job in done} == {"completed"}
    assert {job["server_id"] for job in done} == {s["id"] for s in servers}, "the two jobs ran side by side"
    for clip, job in zip(clips, done, strict=True):
        stored = await (await client.get(f"{API}/clips/{clip['id']}")).json()
        [take] = stored["generated_images"]
        assert take["url"] == job["result_url"] and take["selected"] and take["model"] == "sdxl"
        assert take["seed"] == job["params"]["seed"] and take["server_id"] == job["server_id"]
        download = await client.get(take["url"])
        assert download.status == 200 and download.content_type == "image/png"
        assert (await download.read()).startswith(b"\x89PNG")
    await socket.close()


async def _updates_until_done(socket, job_ids):
    updates, previews, finished = [], [], set()
    while finished != job_ids:
        message = await asyncio.wait_for(socket.receive_json(), 30)
        if message["type"] == "queue_preview":
            previews.append(message["data"])
        if message["type"] == "queue_update":
            updates.append(message["data"])
            if message["data"]["status"] in ("completed", "failed", "cancelled"):
                finished.add(message["data"]["job_id"])
    return updates, previews


async def test_image_to_video_starts_from_the_clips_selected_image(client, simulators):
    await register(client, simulators[0], "sim")
    scene = await new_scene(client, (await new_project(client))["id"])
    clip = await new_clip(client, scene["id"], image_prompt="a lighthouse", video_prompt="waves roll in", length=1)
    refused = await client.post(f"{API}/generation", json={"clip_id": clip["id"], "model": "ltxv-i2v"})
    assert refused.status == 409, "a well-formed request the clip's state cannot serve yet"
    assert "selected image" in (await refused.json())["error"]["message"]

    image_job = await (await client.post(f"{API}/generation", json={"clip_id": clip["id"], "model": "sdxl"})).json()
    await _wait_done(client, image_job["id"])
    video_job = await (await client.post(f"{API}/generation", json={"clip_id": clip["id"], "model": "ltxv-i2v",
                                                                     "params": {"steps": 2}})).json()
    done = await _wait_done(client, video_job["id"])
    assert done["status"] == "completed", done["error_message"]
    [video] = (await (await client.get(f"{API}/clips/{clip['id']}")).json())["generated_videos"]
    assert video["params"]["frames"] % 8 == 1  # LTX-Video's legal 8n+1 frames
    assert (await (await client.get(video["url"])).read())[4:8] == b"ftyp"


async def _wait_done(client, job_id):
    for _ in range(300):
        job = await (await client.get(f"{API}/queue/jobs/{job_id}")).json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not finish")
