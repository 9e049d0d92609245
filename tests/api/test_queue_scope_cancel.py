"""Cancel by scope across two API instances, and supersede on a generation request."""

import json
from pathlib import Path

import pytest

from domain.outbound import LOOPBACK
from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig
from tests.api.helpers import (
    API,
    api_instances,
    body_of,
    error_of,
    get,
    new_clip,
    new_project,
    new_scene,
    post,
)
from tests.api.webhook_support import eventually, receiving
from tests.integration.simulator_support import running_simulator


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", outbound_allowed_networks=LOOPBACK,
                    webhook_poll_s=0.05, dispatch_tick_s=0.1, scheduler_prefetch=0)  # one job runs at capacity 1


async def generate(client, clip_id, **fields):
    return await post(client, "/generation", {"clip_id": clip_id, "model": "sdxl", "params": {"steps": 4}, **fields},
                      status=202)


async def job(client, job_id):
    return await get(client, f"/queue/jobs/{job_id}")


async def test_supersede_cancels_the_clips_earlier_waiting_jobs_of_the_same_kind_only(client):
    scene = await new_scene(client, (await new_project(client))["id"])
    clip, other = await new_clip(client, scene["id"]), await new_clip(client, scene["id"])
    stale = [await generate(client, clip["id"]) for _ in range(2)]
    video = await post(client, "/generation", {"clip_id": clip["id"], "model": "ltxv-t2v"}, status=202)
    neighbour = await generate(client, other["id"])
    newest = await generate(client, clip["id"], supersede=True)
    assert newest["status"] == "pending"
    for old in stale:
        cancelled = await job(client, old["id"])
        assert cancelled["status"] == "cancelled" and newest["id"] in cancelled["error_message"]
    assert [(await job(client, j["id"]))["status"] for j in (video, neighbour)] == ["pending", "pending"]
    plain = await generate(client, clip["id"])  # without supersede, nothing is cancelled
    assert (await job(client, newest["id"]))["status"] == "pending" and plain["status"] == "pending"


@pytest.mark.parametrize("body", [{}, {"scene_id": "a" * 24, "clip_id": "b" * 24}])
async def test_a_scoped_cancel_names_exactly_one_scope(client, body):
    error = await error_of(await client.post(f"{API}/queue/cancel", json=body), 400)
    assert "exactly one" in json.dumps(error)


@pytest.mark.parametrize("scope", ["batch_id", "scene_id", "project_id", "clip_id"])
async def test_a_scope_that_does_not_exist_is_not_found(client, scope):
    await error_of(await client.post(f"{API}/queue/cancel", json={scope: "a" * 24}), 404)


async def test_a_scene_cancelled_on_one_instance_stops_the_jobs_another_runs(settings, database, aiohttp_client,
                                                                            tmp_path):
    first, second = await api_instances(settings, database, aiohttp_client)
    config = SimulatorConfig(root=tmp_path / "sim", node_latency={"KSampler": 2.0})
    async with running_simulator(config) as simulator, receiving() as receiver:
        await post(first, "/comfyui/servers", {"name": "sim", "url": simulator.url, "capacity": 1})
        hook = await post(second, "/webhooks", {"url": receiver.url, "events": ["job.cancelled", "batch.completed"]})
        project = await new_project(first)
        scene = await new_scene(first, project["id"])
        for index in range(3):
            await new_clip(first, scene["id"], image_prompt=f"shot {index}", length=2)
        kept = await new_clip(first, (await new_scene(first, project["id"]))["id"])
        batch = await post(first, "/generation/batch", {"scene_id": scene["id"], "model": "sdxl",
                                                        "params": {"steps": 4}}, status=202)
        elsewhere = await generate(first, kept["id"])

        async def one_running():
            jobs = [await job(second, job_id) for job_id in batch["job_ids"]]
            return [j for j in jobs if j["status"] == "processing"]

        [running] = await eventually(one_running)
        answer = await body_of(await second.post(f"{API}/queue/cancel", json={"scene_id": scene["id"]}))
        assert (answer["cancelled"], answer["interrupting"], answer["already_finished"]) == (2, 1, 0)
        assert sorted(answer["job_ids"]) == sorted(batch["job_ids"])

        async def all_cancelled():
            return all([(await job(first, job_id))["status"] == "cancelled" for job_id in batch["job_ids"]])

        await eventually(all_cancelled)
        assert (await job(first, elsewhere["id"]))["status"] in ("pending", "processing", "completed")

        async def four_told():
            return len(receiver.received) >= 4

        await eventually(four_told)

        async def all_recorded():
            """The receiver's 2xx is recorded just after it has the body, so wait for the record too."""
            listed = (await get(first, f"/webhooks/{hook['id']}/deliveries"))["items"]
            return listed if {d["status"] for d in listed} == {"delivered"} else None

        listed = await eventually(all_recorded)
    events = sorted(json.loads(body)["type"] for _, body in receiver.received)
    assert events == ["batch.completed", *["job.cancelled"] * 3]
    assert len(listed) == 4
    assert running["id"] in answer["job_ids"]
