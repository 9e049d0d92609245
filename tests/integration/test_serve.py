"""`storycanvas serve` on the embedded database: answers, persists in DATA_DIR, survives a restart, stops cleanly."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from adapters.mongo.embedded_server import free_port


def _request(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
        return json.load(response)


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "storycanvas serve exited"
        try:
            _request(url)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def _serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "MONGO_URL"}
    env |= {"DATA_DIR": str(data_dir), "UPLOAD_DIR": str(data_dir / "uploads"), "BACKEND_PORT": str(port)}
    return subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0


def _secantus_children(data_dir: Path) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in ps.splitlines() if "secantus" in line and str(data_dir) in line]


def test_serve_persists_data_across_restarts_on_the_embedded_database(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    first = _serve(tmp_path, port)
    try:
        _wait_for(base + "/health", first)
        created = _request(base + "/projects", {"name": "Night drive"})
        assert _request(base + "/health/ready")["ready"] is True
    finally:
        _stop(first)
    assert _secantus_children(tmp_path) == []
    assert (tmp_path / "secantus").is_dir()
    second = _serve(tmp_path, port)
    try:
        _wait_for(base + "/health", second)
        assert _request(f"{base}/projects/{created['id']}")["name"] == "Night drive"
    finally:
        _stop(second)
