"""Video providers through the API, over real sockets: the /v1/videos simulator and a ComfyUI simulator registered
side by side, one queue. A clip's image made on ComfyUI becomes its video's start frame on the provider; 429s are
waited out as Retry-After says; a failed, a cancelled and a wrongly keyed video; and the key in no response body,
header, WebSocket message or log line."""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig as ComfyUIConfig
from simulators.openai_video import SimulatorConfig
from tests.api.helpers import API, body_of, new_clip, new_project, new_scene
from tests.integration.simulator_support import running_simulator
from tests.integration.video_simulator_support import VideoSimulator, running_video_simulator

KEY = "sk-storycanvas-provider-key-5f3a9c27e1d4"
PROVIDERS = f"{API}/video-providers"
FINAL = ("completed", "failed", "cancelled")


class Recorder:
    """Every response's status line, headers and body, to look for the key in all of them."""

    def __init__(self, client: TestClient) -> None:
        self.client, self.seen = client, []

    async def __call__(self, method: str, path: str, status: int, json: Any = None) -> Any:
        response = await self.client.request(method, path, json=json)
        raw = await response.text()
        self.seen.append(f"{response.status} {response.reason}\n{dict(response.headers)}\n{raw}")
        return await body_of(response, status)

    def text(self) -> str:
        return "\n".join(self.seen)


@pytest.fixture
async def video_sim() -> AsyncIterator[VideoSimulator]:
    async with running_video_simulator(SimulatorConfig(api_key=KEY, fps=4, latency=0.3)) as simulator:
        yield simulator


@pytest.fixture
async def comfyui(tmp_path: Path):
    async with running_simulator(ComfyUIConfig(root=tmp_path / "comfyui")) as simulator:
        yield simulator


@pytest.fixture
def api(client: TestClient) -> Recorder:
    return Recorder(client)


@pytest.fixture(autouse=True)
def every_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


async def register(api: Recorder, sim: VideoSimulator, *, key: str | None = KEY, status: int = 201,
                   **fields: Any) -> dict[str, Any]:
    body = {"name": "sim", "base_url": sim.base_url, "concurrency": 2, **fields}
    if key is not None:
        body["api_key"] = key
    return await api("POST", PROVIDERS, status, body)


async def a_clip(api: Recorder, **fields: Any) -> dict[str, Any]:
    project = await new_project(api.client)
    scene = await new_scene(api.client, project["id"])
    return await new_clip(api.client, scene["id"], video_prompt="waves roll in", image_prompt="a lighthouse",
                          length=3.2, **fields)


async def until_final(api: Recorder, job_id: str, *, timeout: float = 60) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            job = await api("GET", f"{API}/queue/jobs/{job_id}", 200)
            if job["status"] in FINAL:
                return job
            await asyncio.sleep(0.1)


def assert_key_absent(api: Recorder, caplog: pytest.LogCaptureFixture, *more: str) -> None:
    assert KEY not in api.text(), "the key is in a response"
    assert KEY not in caplog.text, "the key is in a log line"
    assert all(KEY not in text for text in more)


# --- the registry ---------------------------------------------------------------------------------------------


async def test_a_provider_is_registered_listed_changed_and_removed_without_its_key_ever_shown(
        api, video_sim, container, caplog):
    provider = await register(api, video_sim, models=[{"name": "sora-2"}, {"name": "wan2.2", "seconds": [5, 5]}])
    assert (provider["key_set"], provider["key_last4"], provider["source"]) == (True, KEY[-4:], "api")
    assert provider["models"] == [
        {"name": "sora-2", "seconds": [4, 8, 12], "sizes": ["720x1280", "1280x720"]},
        {"name": "wan2.2", "seconds": [5], "sizes": ["720x1280", "1280x720", "1024x1792", "1792x1024"]}]
    uow = container.uow()
    async with uow:
        stored = await uow.video_providers.get(provider["id"])
    assert stored.sealed_key and KEY not in stored.sealed_key, "the key is sealed at rest"
    assert [p["id"] for p in await api("GET", PROVIDERS, 200)] == [provider["id"]]
    one = f"{PROVIDERS}/{provider['id']}"
    assert await api("GET", one, 200) == provider
    edited = await api("PUT", one, 200, {"name": "sim 2", "concurrency": 3, "version": provider["version"]})
    assert (edited["name"], edited["concurrency"], edited["key_set"]) == ("sim 2", 3, True)
    stale = await api("PUT", one, 409, {"name": "late", "version": provider["version"]})
    assert stale["error"]["code"] == "CONFLICT"
    short = await api("PUT", one, 200, {"api_key": "short-key"})
    assert (short["key_set"], short["key_last4"]) == (True, None), "a short key shows nothing of itself"
    cleared = await api("PUT", one, 200, {"api_key": ""})
    assert (cleared["key_set"], cleared["key_last4"]) == (False, None)
    assert (await api("DELETE", one, 200))["provider_id"] == provider["id"]
    await api("GET", one, 404)
    assert_key_absent(api, caplog)


@pytest.mark.parametrize("url", ["http://user:secret@127.0.0.1:8000/v1", "https://k@provider.example/v1",
                                 "ftp://127.0.0.1/v1", "file:///etc/passwd", "127.0.0.1:8000", "http://h/v1?x=1"])
async def test_a_url_with_credentials_or_another_scheme_is_a_400(api, url):
    error = (await api("POST", PROVIDERS, 400, {"name": "bad", "base_url": url}))["error"]
    assert error["code"] == "VALIDATION_ERROR" and "base_url" in error["details"]["fields"]
    assert "secret" not in str(error)


async def test_an_unknown_provider_is_a_404_everywhere(api):
    clip = await a_clip(api)
    missing = "0123456789abcdef01234567"
    for method, path, body in [("GET", f"{PROVIDERS}/{missing}", None), ("PUT", f"{PROVIDERS}/{missing}", {}),
                               ("DELETE", f"{PROVIDERS}/{missing}", None),
                               ("POST", f"{API}/openai/generate", {"clip_id": clip["id"], "provider_id": missing}),
                               ("GET", f"{API}/openai/jobs/{missing}", None)]:
        assert (await api(method, path, 404, body))["error"]["code"] == "RESOURCE_NOT_FOUND", (method, path)


async def test_without_a_provider_generate_is_a_503_saying_how_to_configure_one(api):
    clip = await a_clip(api)
    error = (await api("POST", f"{API}/openai/generate", 503, {"clip_id": clip["id"]}))["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE"
    assert "OPENAI_BASE_URL" in error["message"] and "POST /api/v1/video-providers" in error["message"]
    status = await api("GET", f"{API}/openai/status", 200)
    assert (status["configured"], status["providers"], status["default_provider_id"]) == (False, [], None)
    assert "OPENAI_BASE_URL" in status["how_to_configure"]
    assert (await api("GET", f"{API}/health", 200))["status"] == "ok", "the rest of the server works"


async def test_seconds_no_model_allows_is_a_400_naming_the_allowed_ones(api, video_sim):
    provider = await register(api, video_sim, models=[{"name": "sora-2"}, {"name": "sora-2-pro"}])
    clip = await a_clip(api)
    body = {"clip_id": clip["id"], "provider_id": provider["id"]}
    error = (await api("POST", f"{API}/openai/generate", 400, {**body, "seconds": 5}))["error"]
    assert error["details"]["fields"] == {"seconds": "the provider's models allow 4, 8 or 12 seconds"}
    error = (await api("POST", f"{API}/openai/generate", 400, {**body, "model": "sora-2", "size": "1792x1024"}))
    assert error["error"]["details"]["fields"] == {"size": "sora-2 allows 720x1280 or 1280x720"}
    error = (await api("POST", f"{API}/openai/generate", 400, {**body, "model": "veo"}))["error"]
    assert error["details"]["fields"] == {"model": "the provider serves sora-2 or sora-2-pro"}
    chosen = await api("POST", f"{API}/openai/generate", 202, {**body, "size": "1792x1024"})
    assert (chosen["model"], chosen["params"]["size"], chosen["params"]["seconds"]) == ("sora-2-pro", "1792x1024", 4)


# --- one queue ------------------------------------------------------------------------------------------------


async def test_a_clips_video_is_made_from_its_comfyui_image_on_the_provider_in_one_queue(
        api, client, video_sim, comfyui, caplog):
    server = await api("POST", f"{API}/comfyui/servers", 201, {"name": "gpu", "url": comfyui.url, "capacity": 1})
    provider = await register(api, video_sim)
    await video_sim.session.post("/sim/settings", json={"latency": 1.5})  # long enough to report progress
    clip, other = await a_clip(api), await a_clip(api)
    image_job = await api("POST", f"{API}/generation", 202, {"clip_id": clip["id"], "model": "sdxl",
                                                            "params": {"steps": 2}})
    assert (await until_final(api, image_job["id"]))["status"] == "completed"

    socket = await client.ws_connect(f"{API}/ws")
    await socket.send_json({"type": "subscribe_queue", "data": {}})
    messages = [await socket.receive_str(timeout=5)]
    video_job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": clip["id"], "priority": 5})
    comfy_job = await api("POST", f"{API}/generation", 202, {"clip_id": other["id"], "model": "sdxl",
                                                            "params": {"steps": 2}})
    assert (video_job["target"], video_job["kind"]) == (f"provider:{provider['id']}", "video")
    assert video_job["params"]["init_image"] == (await api("GET", f"{API}/clips/{clip['id']}", 200))[
        "generated_images"][0]["path"], "image-to-video from the clip's selected image"
    async with asyncio.timeout(60):
        while True:
            messages.append(await socket.receive_str())
            done = [await api("GET", f"{API}/queue/jobs/{job['id']}", 200) for job in (video_job, comfy_job)]
            if all(job["status"] in FINAL for job in done):
                break
    await socket.close()
    video, image = done
    assert (video["status"], image["status"]) == ("completed", "completed"), video["error_message"]
    assert (video["server_id"], image["server_id"]) == (f"provider:{provider['id']}", server["id"])
    updates = [json.loads(m)["data"] for m in messages if json.loads(m)["type"] == "queue_update"]
    assert any(u["id"] == video_job["id"] and 0 < u["progress"] < 100 for u in updates), "the provider's progress"
    assert any(u["id"] == comfy_job["id"] and u["status"] == "processing" for u in updates)
    assert (await api("GET", f"{API}/openai/jobs/{comfy_job['id']}", 404))["error"]["code"] == "RESOURCE_NOT_FOUND"

    [take] = (await api("GET", f"{API}/clips/{clip['id']}", 200))["generated_videos"]
    params = take["params"]
    assert (take["model"], take["server_id"], take["selected"]) == ("sora-2", f"provider:{provider['id']}", True)
    assert (params["provider_id"], params["seconds"], params["size"], params["requested_seconds"]) == (
        provider["id"], 4, "1280x720", 3.2), "the nearest duration to 3.2 s, the size of the project's 16:9"
    assert params["prompt"] == "waves roll in" and params["remote_video_id"] == video["remote_id"]
    [created] = (await video_sim.stats())["created"]
    assert created == video["remote_id"]
    download = await client.get(take["url"])
    assert download.content_type == "video/mp4" and (await download.read())[4:8] == b"ftyp"
    poster = await client.get(take["poster_url"])
    assert poster.content_type == "image/webp"

    status = await api("GET", f"{API}/openai/jobs/{video_job['id']}", 200)
    assert (status["remote_video_id"], status["remote"]["status"], status["remote"]["size"]) == (
        video["remote_id"], "completed", "1280x720")
    health = await api("GET", f"{API}/openai/status", 200)
    [entry] = health["providers"]
    assert (health["configured"], health["default_provider_id"]) == (True, provider["id"])
    assert (entry["reachable"], entry["key_accepted"], entry["provider"]["models"][0]["name"]) == (True, True,
                                                                                                   "sora-2")
    assert_key_absent(api, caplog, *messages)


async def test_a_429_is_waited_out_as_retry_after_says(api, video_sim, caplog):
    provider = await register(api, video_sim)
    await video_sim.session.post("/sim/settings", json={"retry_after": 1})
    await video_sim.arm("rate_limit", 2)
    job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": (await a_clip(api))["id"],
                                                             "provider_id": provider["id"]})
    done = await until_final(api, job["id"])
    assert (done["status"], done["retry_count"]) == ("completed", 0), done["error_message"]
    log = [r for r in (await video_sim.stats())["log"] if r["route"] == "POST /v1/videos"]
    assert [r["status"] for r in log] == [429, 429, 200]
    assert log[1]["at"] - log[0]["at"] >= 0.95 and log[2]["at"] - log[1]["at"] >= 0.95, "Retry-After: 1 honoured"
    assert_key_absent(api, caplog)


async def test_a_failed_remote_video_fails_the_job_with_the_providers_reason(api, video_sim, caplog):
    provider = await register(api, video_sim)
    await video_sim.arm("job_failure", 1)
    job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": (await a_clip(api))["id"],
                                                             "provider_id": provider["id"], "max_retries": 0})
    done = await until_final(api, job["id"])
    assert done["status"] == "failed"
    assert done["error_message"].startswith("video_generation_failed: The video could not be generated")
    status = await api("GET", f"{API}/openai/jobs/{job['id']}", 200)
    assert (status["remote"]["status"], status["remote"]["error_code"]) == ("failed", "video_generation_failed")
    assert_key_absent(api, caplog)


async def test_a_cancelled_job_deletes_its_remote_video(api, video_sim, caplog):
    provider = await register(api, video_sim)
    await video_sim.session.post("/sim/settings", json={"latency": 30})
    job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": (await a_clip(api))["id"],
                                                             "provider_id": provider["id"]})
    async with asyncio.timeout(30):
        while not (running := await api("GET", f"{API}/openai/jobs/{job['id']}", 200))["remote_video_id"]:
            await asyncio.sleep(0.05)
    assert running["remote"]["status"] in ("queued", "in_progress")
    await api("POST", f"{API}/queue/jobs/{job['id']}/cancel", 200)
    done = await until_final(api, job["id"])
    assert done["status"] == "cancelled"
    deletes = (await video_sim.stats())["deletes"]
    assert [(d["video_id"], d["status"]) for d in deletes] == [(running["remote_video_id"], "in_progress")]
    assert_key_absent(api, caplog)


async def test_a_wrong_key_fails_the_job_at_once_with_a_clear_message_and_no_key(api, video_sim, caplog):
    wrong = "sk-wrong-key-but-long-enough-0000"
    provider = await register(api, video_sim, key=wrong)
    job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": (await a_clip(api))["id"],
                                                             "provider_id": provider["id"]})
    started = time.monotonic()
    done = await until_final(api, job["id"])
    assert (done["status"], done["retry_count"]) == ("failed", 0), "no retry can fix a refused key"
    assert time.monotonic() - started < 10
    assert "refused the API key (401)" in done["error_message"]
    assert f"/api/v1/video-providers/{provider['id']}" in done["error_message"]
    [entry] = (await api("GET", f"{API}/openai/status", 200))["providers"]
    assert (entry["reachable"], entry["key_accepted"]) == (True, False)
    assert_key_absent(api, caplog)
    assert wrong not in api.text() and wrong not in caplog.text


async def test_an_unreachable_provider_is_told_apart_from_a_refused_key(api, video_sim):
    await register(api, video_sim, name="up")
    await api("POST", PROVIDERS, 201, {"name": "gone", "base_url": "http://127.0.0.1:9/v1"})
    up, gone = (await api("GET", f"{API}/openai/status", 200))["providers"]
    assert (up["reachable"], up["key_accepted"], up["error"]) == (True, True, None)
    assert (gone["reachable"], gone["key_accepted"], gone["provider"]["key_set"]) == (False, None, False)
    assert "unreachable" in gone["error"]


async def test_the_environment_configures_the_default_provider_at_start_up(
        tmp_path, database, video_sim, aiohttp_client, caplog):
    settings = Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", openai_api_key=KEY,
                        openai_base_url=video_sim.base_url + "/", openai_video_model="sora-2-pro")
    container = Container(settings=settings)
    container.database.override(database)
    api = Recorder(await aiohttp_client(create_app(settings, container)))
    [provider] = await api("GET", PROVIDERS, 200)
    assert (provider["source"], provider["base_url"], provider["key_last4"]) == (
        "environment", video_sim.base_url, KEY[-4:])
    assert provider["models"] == [{"name": "sora-2-pro", "seconds": [4, 8, 12],
                                   "sizes": ["720x1280", "1280x720", "1024x1792", "1792x1024"]}]
    assert (await api("PUT", f"{PROVIDERS}/{provider['id']}", 409, {"name": "x"}))["error"]["message"].startswith(
        "this provider is configured by OPENAI_BASE_URL")
    project = await new_project(api.client, aspect_ratio="9:16")
    clip = await new_clip(api.client, (await new_scene(api.client, project["id"]))["id"], video_prompt="rain",
                          length=11)
    job = await api("POST", f"{API}/openai/generate", 202, {"clip_id": clip["id"]})
    assert (job["target"], job["params"]["seconds"], job["params"]["size"]) == (
        f"provider:{provider['id']}", 12, "720x1280"), "the default provider, the project's 9:16"
    assert (await until_final(api, job["id"]))["status"] == "completed"
    assert (tmp_path / "data" / "secrets.key").stat().st_mode & 0o777 == 0o600, "the generated key is 0600"
    assert_key_absent(api, caplog)
