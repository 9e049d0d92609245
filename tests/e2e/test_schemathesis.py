"""Schemathesis, driven by the served OpenAPI document, against `storycanvas serve` on the embedded database.

Its default checks, all four phases (examples, coverage, fuzzing, stateful over the document's links) and a
bounded number of examples per operation: no failure, and none of its warnings (data the document allows but the
server rejects, operations it cannot reach for want of ids). `schemathesis.toml` at the repository root holds the
few rules a document cannot state; a ComfyUI simulator and the data seeded through the API before the run
(schemathesis_data.py) give it the ids no operation of its own creates; schemathesis_hooks.py makes uploads real
files. STORYCANVAS_SCHEMATHESIS_EXAMPLES and _SEED change the run, _REPORT keeps its reports.
"""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from adapters.mongo.embedded_server import free_port
from tests.e2e.schemathesis_data import config_text, seed

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
EXAMPLES = os.environ.get("STORYCANVAS_SCHEMATHESIS_EXAMPLES", "12")
SEED = os.environ.get("STORYCANVAS_SCHEMATHESIS_SEED", "20261201")
REPORT = os.environ.get("STORYCANVAS_SCHEMATHESIS_REPORT", "")  # a directory for its HAR and NDJSON reports
ADMIN_KEY = "schemathesis-admin-key-0123456789"  # the run is an admin's: every operation is reachable with it
AUTHORIZATION = {"Authorization": f"Bearer {ADMIN_KEY}"}
SUMMARY = re.compile(r"^=+ (.* in [\d.]+s) =+$", re.M)


@contextmanager
def _running(command: list[str], *, cwd: Path,
             env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", *command], env=env, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _serve(tmp_path: Path, port: int) -> AbstractContextManager[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if k != "MONGO_URL"}
    env |= {"DATA_DIR": str(tmp_path / "data"), "UPLOAD_DIR": str(tmp_path / "uploads"), "BACKEND_PORT": str(port),
            "ACCESS_LOG": "false", "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8,::1", "AUTH_API_KEYS": f"admin:{ADMIN_KEY}",
            "WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}  # a job's own webhook_url is signed
    return _running(["serve"], cwd=tmp_path, env=env)


def _comfyui(tmp_path: Path, port: int) -> AbstractContextManager[subprocess.Popen[bytes]]:
    return _running(["comfyui-sim", "--port", str(port), "--root", str(tmp_path / "comfyui")], cwd=tmp_path)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"{server.args} exited"
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def _schemathesis(base: str, config: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config),
        "run", f"{base}/api/v1/openapi.json",
        "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", EXAMPLES, "--seed", SEED,
        "--generation-database", "none", "--request-timeout", "20", "--no-color",
        "--header", f"Authorization: Bearer {ADMIN_KEY}",
    ]
    if REPORT:
        command += ["--report", "har,ndjson", "--report-dir", REPORT]
    env = os.environ | {"SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=600, check=False)


def _seeded_config(base: str, comfyui_port: int, tmp_path: Path) -> Path:
    seeded, document = asyncio.run(seed(base, comfyui_port, unreachable_port=free_port(), headers=AUTHORIZATION))
    config = tmp_path / "schemathesis.toml"
    config.write_text(config_text((ROOT / "schemathesis.toml").read_text(), seeded, document))
    return config


@pytest.mark.timeout(900)  # about 2 minutes on a quiet machine; a loaded one takes several
def test_schemathesis_finds_no_failure_and_warns_of_nothing(tmp_path: Path) -> None:
    port, comfyui_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    with _comfyui(tmp_path, comfyui_port) as comfyui, _serve(tmp_path, port) as server:
        _wait_until_up(f"http://127.0.0.1:{comfyui_port}/system_stats", comfyui)
        _wait_until_up(base + "/api/v1/health", server)
        run = _schemathesis(base, _seeded_config(base, comfyui_port, tmp_path), tmp_path)
    output = run.stdout + run.stderr
    summary = SUMMARY.findall(output)
    print("schemathesis:", summary[-1] if summary else "(no summary line)")
    assert run.returncode == 0, output[-20000:]
    assert "No failures" in output or (summary and "failure" not in summary[-1]), output[-20000:]
    for warning in ("WARNINGS", "Missing test data", "Schema validation mismatch", "rejected"):
        assert warning not in output, output[-20000:]
    assert "Stateful" in output and "API Links" in output, "the stateful phase ran over the document's links"
