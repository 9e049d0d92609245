"""GET /health/ready: database, media directory and dispatcher decide; each ComfyUI server and video provider
is reported beside them."""

from pathlib import Path

import pytest

from entrypoints.http.typedefs import CONTAINER
from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, error_of
from tests.integration.simulator_support import running_simulator
from tests.loopback_listener import counting_listener


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", comfyui_health_interval_s=0)


def by_name(body) -> dict:  # type: ignore[no-untyped-def]
    return {check["name"]: check for check in body["checks"]}


async def test_ready_lists_the_database_media_and_dispatcher(client):
    checks = by_name(await body_of(await client.get(f"{API}/health/ready")))
    assert {"database", "media", "dispatcher"} <= set(checks)
    assert all(checks[name]["ok"] and checks[name]["required"] for name in ("database", "media", "dispatcher"))


async def test_each_comfyui_server_is_reported_and_a_down_one_does_not_unready_the_api(client, tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "sim")) as simulator:
        await body_of(await client.post(f"{API}/comfyui/servers", json={"name": "gpu-a", "url": simulator.url}),
                      201)
        up = by_name(await body_of(await client.get(f"{API}/health/ready")))
    assert up["comfyui:gpu-a"]["ok"] and not up["comfyui:gpu-a"]["required"]
    await client.get(f"{API}/comfyui/servers")  # probes again: the simulator is gone
    body = await body_of(await client.get(f"{API}/health/ready"))
    down = by_name(body)["comfyui:gpu-a"]
    assert not down["ok"] and down["error"] and body["ready"]


async def test_each_video_provider_is_reported(client):
    async with counting_listener() as (port, _):
        await body_of(await client.post(f"{API}/video-providers",
                                        json={"name": "engine", "base_url": f"http://127.0.0.1:{port}/v1"}), 201)
        checks = by_name(await body_of(await client.get(f"{API}/health/ready")))
    assert checks["provider:engine"]["ok"] is False and checks["provider:engine"]["required"] is False


async def test_a_dead_dispatcher_makes_the_instance_not_ready(client):
    import asyncio

    dispatcher = client.app[CONTAINER].dispatcher_task().task
    assert dispatcher is not None and not dispatcher.done()
    dispatcher.cancel()
    await asyncio.sleep(0.05)
    error = await error_of(await client.get(f"{API}/health/ready"), 503)
    assert "dispatcher" in error["message"]
