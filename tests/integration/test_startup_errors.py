"""Every start-up failure of `serve` and of a script is one clear line on stderr and a non-zero exit, never a traceback."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.mongo.embedded_server import free_port
from tests.integration.serve_support import environment, secantus_pids, storycanvas


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("storycanvas: ")
    return lines[0]


def _serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)


def test_a_port_in_use_is_one_line_and_leaves_no_database_running(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _one_line(_serve(environment(tmp_path, BACKEND_PORT=str(port))))
    assert f"127.0.0.1:{port}" in line and "in use" in line
    assert secantus_pids(tmp_path) == []


@pytest.mark.parametrize("command", [["serve"], ["queue-status"]])
def test_a_data_dir_that_cannot_be_written_is_one_line(tmp_path: Path, command: list[str]):
    (tmp_path / "a-file").write_text("not a directory")
    data_dir = tmp_path / "a-file" / "data"
    line = _one_line(storycanvas(*command, env=environment(data_dir, BACKEND_PORT=str(free_port())), timeout=60))
    assert str(data_dir) in line


@pytest.mark.parametrize("command", [["serve"], ["queue-status"]])
def test_a_database_not_reachable_at_mongo_url_is_one_line(tmp_path: Path, command: list[str]):
    url = f"mongodb://someone:secret@127.0.0.1:{free_port()}/"
    env = environment(tmp_path, MONGO_URL=url, BACKEND_PORT=str(free_port()))
    line = _one_line(storycanvas(*command, env=env, timeout=60))
    assert "not reachable" in line and "127.0.0.1" in line
    assert "secret" not in line


@pytest.mark.parametrize("command", [["serve"], ["queue-status"]])
def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path, command: list[str]):
    line = _one_line(storycanvas(*command, env=environment(tmp_path, BACKEND_PORT="eighty")))
    assert "BACKEND_PORT" in line
