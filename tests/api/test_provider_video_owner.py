"""A clip's video queued on a /v1/videos provider carries its owner and its own `webhook_url` as a ComfyUI job
does: the per-owner cap counts it, the outbound guard checks the URL, and the job's ending is delivered there."""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from standardwebhooks import Webhook as Verifier

from entrypoints.settings import Settings
from simulators.openai_video import SimulatorConfig
from tests.api.auth_support import KEYS, auth_settings, bearer, token
from tests.api.helpers import API, body_of, error_of
from tests.api.webhook_support import eventually, receiving
from tests.integration.video_simulator_support import VideoSimulator, running_video_simulator

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ADMIN = bearer(KEYS["admin"])


def as_user(subject: str) -> dict[str, str]:
    return bearer(token("editor", sub=subject))  # minted when used: a token made at import could expire


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return auth_settings(tmp_path, queue_max_pending_per_owner=2, webhook_secret=SECRET, webhook_poll_s=0.05,
                         webhook_retry_base_s=0.2, webhook_timeout_s=2.0, dispatch_tick_s=0.05)


@pytest.fixture
async def video_sim() -> AsyncIterator[VideoSimulator]:
    async with running_video_simulator(SimulatorConfig(fps=4, latency=0.2)) as simulator:
        yield simulator


async def a_clip(client: TestClient) -> dict[str, Any]:
    async def created(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return await body_of(await client.post(f"{API}{path}", json=body, headers=as_user("alice")), 201)

    project = await created("/projects", {"name": "P"})
    scene = await created("/scenes", {"project_id": project["id"], "name": "S"})
    return await created("/clips", {"scene_id": scene["id"], "name": "C", "video_prompt": "waves", "length": 4})


async def with_provider(client: TestClient, sim: VideoSimulator) -> dict[str, Any]:
    provider = await body_of(await client.post(f"{API}/video-providers", json={"name": "sim", "base_url": sim.base_url},
                                               headers=ADMIN), 201)
    return await a_clip(client) | {"provider": provider}


async def video(client: TestClient, subject: str, clip_id: str, **fields: Any):
    return await client.post(f"{API}/openai/generate", json={"clip_id": clip_id, **fields}, headers=as_user(subject))


async def test_a_provider_job_records_its_owner_and_counts_against_the_owners_cap(client, video_sim):
    clip = await with_provider(client, video_sim)
    await body_of(await client.post(f"{API}/queue/pause", headers=ADMIN))  # every job stays waiting
    first = await body_of(await video(client, "alice", clip["id"]), 202)
    assert (first["owner"], first["target"]) == ("alice", f"provider:{clip['provider']['id']}")
    comfy = {"clip_id": clip["id"], "model": "sdxl"}
    await body_of(await client.post(f"{API}/generation", json=comfy, headers=as_user("alice")), 202)
    error = await error_of(await video(client, "alice", clip["id"]), 429)
    assert error["code"] == "RATE_LIMITED" and "QUEUE_MAX_PENDING_PER_OWNER" in error["message"]
    await error_of(await client.post(f"{API}/generation", json=comfy, headers=as_user("alice")), 429)
    assert (await body_of(await video(client, "bob", clip["id"]), 202))["owner"] == "bob"
    await body_of(await client.post(f"{API}/queue/jobs/{first['id']}/cancel", headers=as_user("alice")))
    await body_of(await video(client, "alice", clip["id"]), 202)  # one left the queue: room again


@pytest.mark.parametrize("url", ["http://169.254.169.254/hooks", "http://10.1.2.3:9000/hooks"])
async def test_a_webhook_url_the_outbound_guard_denies_is_a_400(client, url):
    error = await error_of(await video(client, "alice", "c" * 24, webhook_url=url), 400)
    assert error["code"] == "VALIDATION_ERROR" and "webhook_url" in error["details"]["fields"]


async def test_the_jobs_own_webhook_is_told_when_the_provider_video_completes(client, video_sim):
    clip = await with_provider(client, video_sim)
    async with receiving() as receiver:
        job = await body_of(await video(client, "alice", clip["id"], webhook_url=receiver.url), 202)
        assert job["webhook_url"] == receiver.url

        async def completed():
            return [json.loads(body) for _, body in receiver.received if json.loads(body)["type"] == "job.completed"]

        [delivery] = await eventually(completed, timeout=30)
    headers, body = next((h, b) for h, b in receiver.received if json.loads(b)["type"] == "job.completed")
    Verifier(SECRET).verify(body, headers)
    assert delivery["data"]["job_id"] == job["id"] and delivery["data"]["kind"] == "video"
    stored = await body_of(await client.get(f"{API}/queue/jobs/{job['id']}", headers=as_user("alice")))
    assert (stored["status"], stored["owner"], stored["webhook_url"]) == ("completed", "alice", receiver.url)
