"""Deleting a project, scene or clip on SecantusDB with a ComfyUI simulator: its jobs are stopped (the running
prompt interrupted on the simulator), no result of theirs is ever written, and its takes' files go with it."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, delete, get, new_clip, new_project, new_scene
from tests.integration.simulator_support import SimulatorClient, running_simulator

FINAL = ("completed", "failed", "cancelled")


@pytest.fixture
async def slow(tmp_path):
    """A simulator whose sampler takes 4 s (four steps of one second): a job runs long enough to be caught."""
    async with running_simulator(SimulatorConfig(root=tmp_path / "slow", node_latency={"KSampler": 4.0})) as sim:
        yield sim


@pytest.fixture
async def fast(tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "fast")) as sim:
        yield sim


async def register(client: TestClient, simulator: SimulatorClient) -> None:
    await body_of(await client.post(f"{API}/comfyui/servers", json={"name": "sim", "url": simulator.url,
                                                                     "capacity": 1}), 201)


async def generate(client: TestClient, clip_id: str) -> dict[str, Any]:
    return await body_of(await client.post(f"{API}/generation", json={"clip_id": clip_id, "model": "sdxl",
                                                                       "params": {"steps": 4}}), 202)


async def until(predicate, what: str, timeout: float = 20.0) -> Any:
    async with asyncio.timeout(timeout):
        while not (value := await predicate()):
            await asyncio.sleep(0.05)
    return value


async def running_on(client: TestClient, simulator: SimulatorClient, job_id: str) -> dict[str, Any]:
    """Wait until the job runs and the simulator has started its prompt; returns the job."""
    async def started():
        job = await get(client, f"/queue/jobs/{job_id}")
        record = simulator.state.stats.prompts.get(job["prompt_id"] or "")
        return job if job["status"] == "processing" and record is not None and record.started else None

    return await until(started, "the job to start on the simulator")


async def interrupted(simulator: SimulatorClient, prompt_id: str) -> bool:
    """Wait for the prompt to end on the simulator; whether it ended interrupted."""
    await until(lambda: _ended(simulator, prompt_id), "the prompt to end")
    history = (await simulator.get_json(f"/history/{prompt_id}"))[prompt_id]
    return "execution_interrupted" in [message[0] for message in history["status"]["messages"]]


async def _ended(simulator: SimulatorClient, prompt_id: str) -> bool:
    return simulator.state.stats.prompts[prompt_id].finished is not None


def files_of(upload_dir: Path, project_id: str) -> list[Path]:
    return [path for path in (upload_dir / "projects" / project_id).rglob("*") if path.is_file()]


async def test_deleting_a_project_cancels_its_jobs_interrupts_the_running_prompt_and_leaves_no_file(
    client, settings, slow
):
    await register(client, slow)
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clips = [await new_clip(client, scene["id"], name=f"shot {i}", length=2) for i in range(2)]
    jobs = [await generate(client, clip["id"]) for clip in clips]
    running = await running_on(client, slow, jobs[0]["id"])
    assert (await get(client, f"/queue/jobs/{jobs[1]['id']}"))["status"] == "pending", "capacity 1: it waits"

    deleted = await delete(client, f"/projects/{project['id']}")
    assert (deleted["jobs"], deleted["jobs_cancelled"]) == (2, 2)
    assert await interrupted(slow, running["prompt_id"])
    record = slow.state.stats.prompts[running["prompt_id"]]
    assert record.finished - record.started < 3.0, "stopped at its next step, long before its 4 s were up"
    await asyncio.sleep(1.0)  # time for a result to come back and be (wrongly) written
    assert list(slow.state.stats.prompts) == [running["prompt_id"]], "the waiting job never reached the server"
    assert files_of(settings.upload_dir, project["id"]) == []
    assert (await get(client, f"/queue/projects/{project['id']}/jobs"))["items"] == []
    for job in jobs:
        assert (await client.get(f"{API}/queue/jobs/{job['id']}")).status == 404


async def test_deleting_a_clip_while_its_job_runs_writes_no_take_and_leaves_no_file(client, settings, slow):
    await register(client, slow)
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clip = await new_clip(client, scene["id"], length=2)
    job = await generate(client, clip["id"])
    running = await running_on(client, slow, job["id"])

    deleted = await delete(client, f"/clips/{clip['id']}")
    assert deleted["jobs_cancelled"] == 1
    assert await interrupted(slow, running["prompt_id"])
    ended = await until(lambda: _final(client, job["id"]), "the job to end")
    assert ended["status"] == "cancelled" and ended["result_url"] is None
    await asyncio.sleep(0.5)
    assert files_of(settings.upload_dir, project["id"]) == []


async def _final(client: TestClient, job_id: str) -> dict[str, Any] | None:
    job = await get(client, f"/queue/jobs/{job_id}")
    return job if job["status"] in FINAL else None


async def generated_take(client: TestClient, clip_id: str) -> dict[str, Any]:
    job = await generate(client, clip_id)
    done = await until(lambda: _final(client, job["id"]), "the job to end")
    assert done["status"] == "completed", done["error_message"]
    [take] = (await get(client, f"/clips/{clip_id}"))["generated_images"]
    assert (await client.get(take["url"])).status == 200
    return take


async def test_deleting_a_clip_or_a_scene_deletes_its_takes_files(client, settings, fast):
    await register(client, fast)
    project = await new_project(client)
    doomed_scene, kept_scene = await new_scene(client, project["id"]), await new_scene(client, project["id"])
    clip, in_doomed_scene, kept = [await new_clip(client, scene["id"], length=1)
                                   for scene in (doomed_scene, doomed_scene, kept_scene)]
    takes = [await generated_take(client, c["id"]) for c in (clip, in_doomed_scene, kept)]
    assert len(files_of(settings.upload_dir, project["id"])) == 3

    assert (await delete(client, f"/clips/{clip['id']}"))["files"] == 1
    assert (await client.get(takes[0]["url"])).status == 404
    assert (await delete(client, f"/scenes/{doomed_scene['id']}"))["files"] == 1
    assert (await client.get(takes[1]["url"])).status == 404
    assert [path.name for path in files_of(settings.upload_dir, project["id"])] == [Path(takes[2]["path"]).name]
    assert (await client.get(takes[2]["url"])).status == 200
