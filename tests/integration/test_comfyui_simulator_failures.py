"""Failure injection (refuse, drop_response, runtime_error, crash, drop_socket, hang), /sim/ and the runners."""

import argparse
import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from entrypoints.cli import comfyui_sim
from simulators.comfyui import CURRENT_VERSION, SimulatorConfig
from simulators.comfyui.runner import config_from_args
from tests.integration.simulator_support import (
    SimulatorClient, image_workflow, kinds, new_prompt_id, next_of_type, running_simulator, until_done,
)


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimulatorClient]:
    async with running_simulator(SimulatorConfig(root=tmp_path)) as client:
        yield client


async def _arm(sim: SimulatorClient, mode: str, count: int = 1) -> dict:
    status, armed = await sim.post_json("/sim/failures", {"mode": mode, "count": count})
    assert status == 200
    return armed


async def test_refuse_answers_503_then_recovers_without_using_a_number(sim):
    assert (await _arm(sim, "refuse"))["refuse"] == 1
    status, body = await sim.post_json("/prompt", {"prompt": image_workflow()})
    assert status == 503 and body["error"]["type"] == "simulated_refusal" and body["node_errors"] == {}
    assert (await sim.queue_prompt(image_workflow()))["number"] == 0
    assert (await sim.get_json("/sim/failures"))["refuse"] == 0


async def test_drop_response_queues_the_prompt_but_closes_the_connection_unanswered(sim):
    assert (await _arm(sim, "drop_response"))["drop_response"] == 1
    client_id, prompt_id = uuid.uuid4().hex, new_prompt_id()
    socket_, _ = await sim.connect(client_id)
    body = {"prompt": image_workflow(), "prompt_id": prompt_id, "client_id": client_id}
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await sim.post_json("/prompt", body)
    messages = await until_done(socket_, prompt_id)
    assert "execution_success" in kinds(messages)
    assert await sim.post_json("/prompt", body) == (409, {"error": "prompt_id already exists"})  # the retry learns
    stats = await sim.get_json("/sim/stats")
    assert (stats["executed"], [p["prompt_id"] for p in stats["prompts"]]) == (1, [prompt_id])
    assert (await sim.get_json("/sim/failures"))["drop_response"] == 0
    assert (await sim.queue_prompt(image_workflow(prefix="answered")))["number"] == 2


async def test_drop_response_can_be_armed_from_the_config(tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path, failures={"drop_response": 1})) as sim:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await sim.post_json("/prompt", {"prompt": image_workflow()})
        async with asyncio.timeout(5):
            while not await sim.get_json("/history"):
                await asyncio.sleep(0.02)


async def test_runtime_error_fails_the_next_node_that_runs(sim):
    await _arm(sim, "runtime_error")
    prompt_id, messages = await sim.run(image_workflow())
    assert kinds(messages)[-5:] == ["progress_state:1=running", "executing:1", "execution_error", "status:0",
                                    "executing:None"]
    error = messages[-3]["data"]
    assert (error["node_id"], error["exception_type"]) == ("1", "RuntimeError")
    _, again = await sim.run(image_workflow())
    assert "execution_success" in kinds(again)


async def test_crash_calls_the_crash_callback_mid_job_and_goes_silent(tmp_path):
    crashed = asyncio.Event()
    config = SimulatorConfig(root=tmp_path, crash=crashed.set, failures={"crash": 1})
    async with running_simulator(config) as sim:
        client_id = uuid.uuid4().hex
        socket_, _ = await sim.connect(client_id)
        answer = await sim.queue_prompt(image_workflow(), client_id)
        await asyncio.wait_for(crashed.wait(), 5)
        await next_of_type(socket_, "executing", node="1")
        with pytest.raises(TimeoutError):
            await next_of_type(socket_, "executed", timeout=0.3)
        assert (await sim.get_json("/queue"))["queue_running"][0][1] == answer["prompt_id"]


async def test_drop_socket_closes_every_socket_but_the_job_completes(sim):
    await _arm(sim, "drop_socket")
    client_id = uuid.uuid4().hex
    socket_, _ = await sim.connect(client_id)
    bystander, _ = await sim.connect()
    answer = await sim.queue_prompt(image_workflow(), client_id)
    for ws in (socket_, bystander):
        async with asyncio.timeout(5):
            while (await ws.receive()).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pass
    async with asyncio.timeout(5):
        while answer["prompt_id"] not in await sim.get_json(f"/history/{answer['prompt_id']}"):
            await asyncio.sleep(0.05)
    entry = (await sim.get_json(f"/history/{answer['prompt_id']}"))[answer["prompt_id"]]
    assert entry["status"]["status_str"] == "success" and entry["outputs"]["2"]["images"]
    _, messages = await sim.run(image_workflow(prefix="after"))
    assert "execution_success" in kinds(messages)


async def test_hang_never_finishes_and_blocks_the_queue(sim):
    await _arm(sim, "hang")
    client_id = uuid.uuid4().hex
    socket_, _ = await sim.connect(client_id)
    hung = await sim.queue_prompt(image_workflow(), client_id)
    waiting = await sim.queue_prompt(image_workflow(prefix="later"), client_id)
    await next_of_type(socket_, "executing", node="1")
    await sim.post_json("/interrupt", {})
    await asyncio.sleep(0.3)
    queue = await sim.get_json("/queue")
    assert [item[1] for item in queue["queue_running"]] == [hung["prompt_id"]]
    assert [item[1] for item in queue["queue_pending"]] == [waiting["prompt_id"]]
    assert await sim.get_json(f"/history/{hung['prompt_id']}") == {}


async def test_failures_armed_in_the_config_fire_in_order(tmp_path):
    config = SimulatorConfig(root=tmp_path, failures={"runtime_error": 2})
    async with running_simulator(config) as sim:
        results = [kinds((await sim.run(image_workflow(prefix=f"f{i}")))[1]) for i in range(3)]
    assert ["execution_error" in result for result in results] == [True, True, False]


async def test_unknown_failure_modes_are_refused(sim, tmp_path):
    assert (await sim.post_json("/sim/failures", {"mode": "explode"}))[0] == 400
    assert (await sim.post_json("/sim/failures", {"mode": "hang", "count": "2"}))[0] == 400
    with pytest.raises(ValueError, match="explode"):
        SimulatorConfig(root=tmp_path, failures={"explode": 1})


async def test_stats_list_prompts_with_monotonic_times_slots_and_counts(sim):
    before = time.monotonic()
    prompt_id, _ = await sim.run(image_workflow())
    await sim.post_json("/prompt", {"prompt": {}})
    stats = await sim.get_json("/sim/stats")
    record = stats["prompts"][0]
    assert record["prompt_id"] == prompt_id and record["status"] == "success" and record["slot"] == 0
    assert before <= record["received"] <= record["started"] <= record["finished"] <= stats["now"]
    assert (stats["requests"], stats["executed"], stats["capacity"]) == (2, 1, 1)
    assert stats["slots"] == [{"slot": 0, "model": None}]


def _cli_args(*argv: str) -> argparse.Namespace:
    root = argparse.ArgumentParser(prog="storycanvas")
    comfyui_sim.add_parser(root.add_subparsers(dest="command", required=True))
    return root.parse_args(["comfyui-sim", *argv])


def test_the_cli_subcommand_maps_its_flags_onto_the_config(tmp_path):
    models = tmp_path / "models.json"
    models.write_text(json.dumps({"checkpoints": ["a.safetensors"]}))
    args = _cli_args("--port", "9000", "--capacity", "3", "--latency", "0.5", "--model-switch-delay", "2",
                     "--root", str(tmp_path), "--node-latency", "KSampler=4", "--models", str(models),
                     "--fail", "crash=1", "--enable-cors-header")
    config = config_from_args(args)
    assert (args.port, args.host, args.run.__name__) == (9000, "127.0.0.1", "serve")
    assert (config.capacity, config.latency, config.model_switch_delay) == (3, 0.5, 2.0)
    assert config.latency_of("KSampler") == 4 and config.latency_of("SaveImage") == 0.5
    assert dict(config.models) == {"checkpoints": ("a.safetensors",)}
    assert dict(config.failures) == {"crash": 1} and config.cors_origin == "*"
    assert (config.comfyui_version, config.preview_method, config.preview_size) == (CURRENT_VERSION, "auto", 256)


def test_the_cli_selects_comfyui_0_3_64_and_switches_previews_off(tmp_path):
    config = config_from_args(_cli_args("--root", str(tmp_path), "--comfyui-version", "0.3.64",
                                        "--preview-method", "none", "--fail", "drop_response=2"))
    assert (config.comfyui_version, config.legacy, config.preview_method) == ("0.3.64", True, "none")
    assert dict(config.failures) == {"drop_response": 2}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the simulator exited"
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _start(tmp_path: Path, port: int, *flags: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "simulators.comfyui", "--port", str(port), "--root", str(tmp_path), *flags]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_the_module_runner_serves_until_terminated(tmp_path):
    port = _free_port()
    process = _start(tmp_path, port)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/system_stats", process)
        answer = _post(f"http://127.0.0.1:{port}/prompt", {"prompt": image_workflow()})
        assert answer["number"] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_a_crash_ends_the_process_with_exit_code_3(tmp_path):
    port = _free_port()
    process = _start(tmp_path, port, "--fail", "crash=1")
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/system_stats", process)
        _post(f"http://127.0.0.1:{port}/prompt", {"prompt": image_workflow()})
        assert process.wait(timeout=20) == 3
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/system_stats", timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
