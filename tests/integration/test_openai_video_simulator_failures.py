"""The /v1/videos simulator over raw HTTP: OpenAI's error bodies for bad keys and bad parameters, the failure
knobs (429 with Retry-After, 500, failed jobs), run-time settings, deletes mid-job, capacity, and the runners."""

import argparse
import asyncio
import base64
import io
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image

from entrypoints.cli import openai_sim
from simulators.openai_video import SimulatorConfig
from simulators.openai_video.runner import config_from_args
from tests.integration.video_simulator_support import VideoSimulator, running_video_simulator

KEY = "sk-sim-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
async def sim() -> AsyncIterator[VideoSimulator]:
    async with running_video_simulator(SimulatorConfig(api_key=KEY, fps=4, latency=0.2)) as simulator:
        yield simulator


async def _create(sim: VideoSimulator, headers: dict[str, str] | None = None, **fields: str) -> tuple[int, Any]:
    form = aiohttp.FormData({"prompt": "a fox", **fields})
    async with sim.session.post("/v1/videos", data=form, headers=AUTH if headers is None else headers) as answer:
        return answer.status, await answer.json()


def _error(message: str, *, param: str | None = None, code: str | None = None,
           type: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


async def test_a_missing_or_wrong_key_is_a_401_in_openais_words(sim):
    status, body = await _create(sim, headers={})
    assert status == 401 and body["error"]["code"] is None
    assert body["error"]["message"].startswith("You didn't provide an API key.")
    status, body = await _create(sim, headers={"Authorization": "Bearer sk-wrong-key-0000000000"})
    assert (status, body) == (401, _error(
        "Incorrect API key provided: sk-****************0000. You can find your API key at "
        "https://platform.openai.com/account/api-keys.", code="invalid_api_key"))
    assert (await sim.stats())["created"] == []


async def test_without_a_configured_key_any_key_or_none_is_accepted():
    async with running_video_simulator(SimulatorConfig(fps=4)) as sim:
        assert (await _create(sim, headers={}))[0] == 200
        assert (await _create(sim, headers={"Authorization": "Bearer whatever"}))[0] == 200


async def test_an_armed_rate_limit_answers_429_with_retry_after_then_lets_requests_through(sim):
    await sim.arm("rate_limit", 2)
    for _ in range(2):
        async with sim.session.get("/v1/videos", headers=AUTH) as answer:
            assert answer.status == 429 and answer.headers["Retry-After"] == "1"
            body = await answer.json()
            assert (body["error"]["type"], body["error"]["code"]) == ("requests", "rate_limit_exceeded")
    async with sim.session.get("/v1/videos", headers=AUTH) as answer:
        assert answer.status == 200 and answer.headers["x-request-id"].startswith("req_")
    assert (await sim.stats())["by_route"]["GET /v1/videos"] == {"429": 2, "200": 1}


async def test_retry_after_and_latency_change_at_run_time(sim):
    async with sim.session.post("/sim/settings", json={"retry_after": 7, "latency": 30}) as answer:
        assert (await answer.json())["latency"] == 30
    await sim.arm("rate_limit")
    async with sim.session.get("/v1/videos", headers=AUTH) as answer:
        assert answer.headers["Retry-After"] == "7"
    status, video = await _create(sim)
    await asyncio.sleep(0.5)
    async with sim.session.get(f"/v1/videos/{video['id']}", headers=AUTH) as answer:
        assert (await answer.json())["status"] == "in_progress"
    async with sim.session.post("/sim/settings", json={"latency": 0}) as answer:
        assert answer.status == 200
    assert (await sim.wait_until_final(video["id"]))["status"] == "completed"
    async with sim.session.post("/sim/settings", json={"latency": -1}) as answer:
        assert answer.status == 400


async def test_an_armed_server_error_is_a_500_in_openais_shape(sim):
    await sim.arm("server_error")
    status, body = await _create(sim)
    assert (status, body) == (500, _error("The server had an error while processing your request. Sorry about that!",
                                          type="server_error"))
    assert (await _create(sim))[0] == 200


async def test_an_armed_job_failure_fails_the_next_video_with_its_error(sim):
    async with sim.session.post("/sim/settings", json={"failure_code": "moderation_blocked",
                                                       "failure_message": "Blocked by moderation."}):
        pass
    await sim.arm("job_failure")
    _, doomed = await _create(sim)
    _, fine = await _create(sim)
    failed = await sim.wait_until_final(doomed["id"])
    assert (failed["status"], failed["error"]) == ("failed", {"code": "moderation_blocked",
                                                              "message": "Blocked by moderation."})
    assert 0 < failed["progress"] < 100 and failed["expires_at"] is None
    assert (await sim.wait_until_final(fine["id"]))["status"] == "completed"
    async with sim.session.get(f"/v1/videos/{doomed['id']}/content", headers=AUTH) as answer:
        assert answer.status == 404


@pytest.mark.parametrize(("fields", "expected"), [
    ({"seconds": "5"}, _error("Invalid value: '5'. Supported values are: '4', '8', and '12'.", param="seconds",
                              code="invalid_value")),
    ({"size": "1792x1024"}, _error("Invalid value: '1792x1024'. Supported values are: '720x1280' and '1280x720'.",
                                   param="size", code="invalid_value")),
    ({"model": "sora-3"}, _error("Invalid value: 'sora-3'. Supported values are: 'sora-2', 'sora-2-2025-10-06', "
                                 "'sora-2-2025-12-08', 'sora-2-pro', and 'sora-2-pro-2025-10-06'.",
                                 param="model", code="invalid_value")),
    ({"quality": "high"}, _error("Unknown parameter: 'quality'.", param="quality", code="unknown_parameter")),
    ({"input_reference": "a string"}, _error("Invalid type for 'input_reference': expected a file, but got a "
                                             "string instead.", param="input_reference", code="invalid_type")),
])
async def test_parameters_the_model_does_not_allow_are_400s_naming_the_allowed_values(sim, fields, expected):
    assert await _create(sim, **fields) == (400, expected)
    assert (await sim.stats())["created"] == []


async def test_json_bodies_are_checked_for_types_and_a_missing_prompt(sim):
    async with sim.session.post("/v1/videos", json={"prompt": "x", "seconds": 8}, headers=AUTH) as answer:
        assert (answer.status, await answer.json()) == (400, _error(
            "Invalid type for 'seconds': expected one of '4', '8', or '12', but got an integer instead.",
            param="seconds", code="invalid_type"))
    async with sim.session.post("/v1/videos", json={"model": "sora-2"}, headers=AUTH) as answer:
        assert (await answer.json()) == _error("Missing required parameter: 'prompt'.", param="prompt",
                                               code="missing_required_parameter")
    async with sim.session.post("/v1/videos", json={"prompt": "x", "model": "sora-2-pro", "size": "1024x1792"},
                                headers=AUTH) as answer:
        assert answer.status == 200 and (await answer.json())["size"] == "1024x1792"


async def test_an_input_reference_may_be_a_data_url_but_must_be_an_image(sim):
    buffer = io.BytesIO()
    Image.new("RGB", (720, 1280), (200, 0, 0)).save(buffer, format="JPEG")
    url = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()
    body = {"prompt": "red", "input_reference": {"image_url": url}}
    async with sim.session.post("/v1/videos", json=body, headers=AUTH) as answer:
        assert answer.status == 200
    form = aiohttp.FormData({"prompt": "x"})
    form.add_field("input_reference", b"not an image", filename="fake.png", content_type="image/png")
    async with sim.session.post("/v1/videos", data=form, headers=AUTH) as answer:
        assert (answer.status, (await answer.json())["error"]["param"]) == (400, "input_reference")


async def test_content_before_completion_unknown_ids_bad_variants_and_bad_urls_answer_in_openais_shape(sim):
    async with sim.session.post("/sim/settings", json={"latency": 30}):
        pass
    _, video = await _create(sim)
    answers = {}
    for path in (f"/v1/videos/{video['id']}/content", "/v1/videos/video_nope", "/v1/nothing-here",
                 f"/v1/videos/{video['id']}/content?variant=poster", "/v1/videos?limit=101"):
        async with sim.session.get(path, headers=AUTH) as answer:
            answers[path] = (answer.status, (await answer.json())["error"])
    statuses = [status for status, _ in answers.values()]
    assert statuses == [404, 404, 404, 400, 400]
    messages = [error["message"] for _, error in answers.values()]
    assert messages[0].startswith("Video is not ready yet") and messages[2] == "Invalid URL (GET /v1/nothing-here)"
    assert messages[3] == "Invalid value: 'poster'. Supported values are: 'video', 'thumbnail', and 'spritesheet'."
    assert answers["/v1/videos?limit=101"][1]["code"] == "integer_above_max_value"


async def test_deleting_a_video_mid_job_cancels_it_and_the_simulator_records_the_delete(sim):
    async with sim.session.post("/sim/settings", json={"latency": 30}):
        pass
    _, video = await _create(sim)
    await asyncio.sleep(0.3)
    async with sim.session.delete(f"/v1/videos/{video['id']}", headers=AUTH) as answer:
        assert await answer.json() == {"id": video["id"], "object": "video.deleted", "deleted": True}
    stats = await sim.stats()
    assert [(record["video_id"], record["status"]) for record in stats["deletes"]] == [(video["id"], "in_progress")]
    assert (stats["in_flight"], sim.state.registry.videos) == (0, {})
    async with sim.session.delete(f"/v1/videos/{video['id']}", headers=AUTH) as answer:
        assert answer.status == 404


async def test_videos_beyond_the_capacity_wait_queued():
    async with running_video_simulator(SimulatorConfig(capacity=1, latency=30, fps=4)) as sim:
        first, second = (await _create(sim, headers={}))[1], (await _create(sim, headers={}))[1]
        await asyncio.sleep(0.3)
        statuses = [sim.state.registry.get(video["id"]).status for video in (first, second)]
        assert statuses == ["in_progress", "queued"]
        assert (await sim.stats())["peak_in_flight"] == 2


def _cli_args(*flags: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    openai_sim.add_parser(parser.add_subparsers())
    return parser.parse_args(["openai-sim", *flags])


def test_the_cli_flags_make_the_config(tmp_path: Path):
    models = tmp_path / "models.json"
    models.write_text(json.dumps({"wan2.2-t2v": {"sizes": ["832x480"]}}))
    config = config_from_args(_cli_args("--api-key", "k", "--latency", "2.5", "--fail", "rate_limit=2", "--fail",
                                        "job_failure", "--models", str(models), "--retry-after", "3"))
    assert (config.api_key, config.latency, config.retry_after, config.default_model) == ("k", 2.5, 3, "wan2.2-t2v")
    assert dict(config.failures) == {"rate_limit": 2, "job_failure": 1}
    assert config.models["wan2.2-t2v"].seconds is None  # no list: any whole number of seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_module_runner_serves_until_interrupted(tmp_path: Path):
    port = _free_port()
    command = [sys.executable, "-m", "simulators.openai_video", "--port", str(port), "--api-key", KEY,
               "--root", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, body = time.monotonic() + 30, None
        while body is None and time.monotonic() < deadline:
            assert process.poll() is None, "the simulator exited"
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/videos", headers=AUTH)
                with urllib.request.urlopen(request, timeout=2) as answer:
                    body = json.load(answer)
            except OSError:
                time.sleep(0.1)
        assert body == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
