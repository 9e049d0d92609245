"""The embedded SecantusDB cannot be orphaned: it dies with `serve`, a stale one is replaced, other processes share it."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from adapters.mongo.embedded_server import answers, free_port
from tests.integration.serve_support import (
    Server, environment, gone_within, orphan_secantus, request, secantus_pids, storycanvas, wait_until,
)


@pytest.fixture
def servers(tmp_path: Path):
    """The servers a test starts; killed afterwards, and any SecantusDB they left on `tmp_path` with them."""
    started: list[Server] = []
    yield started
    for server in reversed(started):
        server.kill()
    for leftover in secantus_pids(tmp_path):
        os.kill(leftover, signal.SIGKILL)


def _start(servers: list[Server], data_dir: Path, **extra: str) -> Server:
    server = Server(data_dir, **extra)
    servers.append(server)
    server.wait_until_up()
    return server


def test_the_embedded_database_dies_with_a_server_killed_by_sigkill(tmp_path: Path, servers: list[Server]):
    server = _start(servers, tmp_path)
    [database] = secantus_pids(tmp_path)
    server.kill()
    assert gone_within(database, 5), "SecantusDB outlived the API process"


def test_serve_after_kill_9_is_up_within_30s_with_every_project(tmp_path: Path, servers: list[Server]):
    first = _start(servers, tmp_path)
    created = [request(first.base + "/projects", {"name": f"Board {i}"}) for i in range(3)]
    first.kill()
    second = Server(tmp_path)
    servers.append(second)
    assert second.wait_until_up(timeout=30) < 30
    assert [request(f"{second.base}/projects/{p['id']}")["name"] for p in created] == ["Board 0", "Board 1", "Board 2"]
    assert request(second.base + "/health/ready")["ready"] is True


def test_the_lock_file_names_the_database_and_its_owner_and_goes_with_a_clean_stop(tmp_path: Path,
                                                                                    servers: list[Server]):
    server = _start(servers, tmp_path)
    record = json.loads((tmp_path / "secantus.lock").read_text())
    assert record["pid"] in secantus_pids(tmp_path)
    assert record["owner_pid"] == server.process.pid
    assert answers(record["port"]) and record["started_at"]
    server.stop()
    assert not (tmp_path / "secantus.lock").exists()
    assert secantus_pids(tmp_path) == []


def test_a_cli_command_uses_the_running_database_and_leaves_it_running(tmp_path: Path, servers: list[Server]):
    server = _start(servers, tmp_path)
    project = request(server.base + "/projects", {"name": "Shared"})
    scene = request(server.base + "/scenes", {"project_id": project["id"], "name": "Intro"})
    request(server.base + "/clips", {"scene_id": scene["id"], "name": "Shot", "image_prompt": "a road at night"})
    [database] = secantus_pids(tmp_path)
    env = environment(tmp_path, QUEUE_WORKERS="false")

    queued = storycanvas("generate", project["id"], "--model", "sdxl", "--json", env=env)
    status = storycanvas("queue-status", env=env)

    assert queued.returncode == 0, queued.stderr
    assert json.loads(queued.stdout)["count"] == 1
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["counts"]["pending"] + json.loads(status.stdout)["counts"]["processing"] == 1
    assert secantus_pids(tmp_path) == [database]
    assert request(server.base + "/health/ready")["ready"] is True


def test_a_second_server_on_the_same_data_dir_shares_the_database_and_leaves_it_to_the_first(
        tmp_path: Path, servers: list[Server]):
    first = _start(servers, tmp_path)
    project = request(first.base + "/projects", {"name": "Seen by both"})
    second = _start(servers, tmp_path)
    assert request(f"{second.base}/projects/{project['id']}")["name"] == "Seen by both"
    second.stop()
    assert len(secantus_pids(tmp_path)) == 1
    assert request(first.base + "/health/ready")["ready"] is True


@pytest.mark.parametrize("recorded", [False, True], ids=["older-version-no-lock-file", "lock-file-of-a-dead-owner"])
def test_a_stale_database_left_by_a_crash_is_stopped_and_replaced(tmp_path: Path, servers: list[Server],
                                                                   recorded: bool):
    port = free_port()
    orphan = orphan_secantus(tmp_path / "secantus", port)
    assert wait_until(lambda: answers(port), 30)
    if recorded:
        (tmp_path / "secantus.lock").write_text(json.dumps(
            {"pid": orphan, "port": port, "owner_pid": _finished_pid(), "started_at": "2026-01-01T00:00:00+00:00",
             "storage_path": str(tmp_path / "secantus")}))
    started = time.monotonic()
    server = _start(servers, tmp_path)
    assert time.monotonic() - started < 30
    assert gone_within(orphan, 5)
    assert json.loads((tmp_path / "secantus.lock").read_text())["owner_pid"] == server.process.pid
    assert request(server.base + "/health/ready")["ready"] is True


def test_a_lock_file_naming_a_dead_process_is_replaced(tmp_path: Path, servers: list[Server]):
    (tmp_path / "secantus.lock").write_text(json.dumps(
        {"pid": _finished_pid(), "port": free_port(), "owner_pid": _finished_pid(),
         "started_at": "2026-01-01T00:00:00+00:00", "storage_path": str(tmp_path / "secantus")}))
    server = _start(servers, tmp_path)
    record = json.loads((tmp_path / "secantus.lock").read_text())
    assert record["owner_pid"] == server.process.pid and record["pid"] in secantus_pids(tmp_path)


def _finished_pid() -> int:
    """A pid that is surely gone: a finished child of ours."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
