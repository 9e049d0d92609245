"""DELETE /comfyui/servers/{id} forgets the job times the speed model learned of the server (`server_speeds`),
and they do not come back with the dispatcher's next sync."""

import asyncio
from pathlib import Path

import pytest

from domain.speed_model import Estimate
from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, new_clip, new_project, new_scene
from tests.api.webhook_support import eventually
from tests.integration.simulator_support import running_simulator

SERVERS = API + "/comfyui/servers"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", comfyui_health_interval_s=0,
                    dispatch_tick_s=0.05)


async def test_an_unregistered_server_leaves_no_learned_speed_behind(client, container, tmp_path):
    speeds = container.database().handle["server_speeds"]
    async with running_simulator(SimulatorConfig(root=tmp_path / "sim")) as simulator:
        server = await body_of(await client.post(SERVERS, json={"name": "gpu", "url": simulator.url}), 201)
        other = "f" * 24
        await container.speed_records().save({(other, "sdxl"): Estimate(4.0, 2)})
        project = await new_project(client)
        clip = await new_clip(client, (await new_scene(client, project["id"]))["id"], image_prompt="a lighthouse")
        job = await body_of(await client.post(f"{API}/generation", json={"clip_id": clip["id"], "model": "sdxl",
                                                                      "params": {"steps": 2}}), 202)

        async def learned():
            done = await body_of(await client.get(f"{API}/queue/jobs/{job['id']}"))
            assert done["status"] not in ("failed", "cancelled"), done
            return await speeds.count_documents({"server_id": server["id"]})

        await eventually(learned, timeout=30)
        await body_of(await client.delete(f"{SERVERS}/{server['id']}"))
    assert await speeds.count_documents({"server_id": server["id"]}) == 0
    await asyncio.sleep(1.5)  # past a housekeeping period: the dispatcher's sync does not store them again
    assert await speeds.count_documents({"server_id": server["id"]}) == 0
    assert await container.speed_records().load() == {(other, "sdxl"): Estimate(4.0, 2)}, "others' stay"
