"""`storycanvas` as a user runs it: subprocesses on a temp DATA_DIR, and a look at the SecantusDB processes they leave."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from adapters.mongo.embedded_server import free_port


def request(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    headers = {} if body is None else {"Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as response:
        return json.load(response)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MONGO_URL"}
    return env | {"DATA_DIR": str(data_dir), "UPLOAD_DIR": str(data_dir / "uploads"),
                  "COMFYUI_HEALTH_INTERVAL_S": "0"} | extra


class Server:
    """One `storycanvas serve` on a free port."""

    def __init__(self, data_dir: Path, port: int | None = None, **extra: str) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        env = environment(data_dir, BACKEND_PORT=str(self.port), ACCESS_LOG="false", **extra)
        self._stderr = tempfile.TemporaryFile()  # not a pipe: a chatty server must never block on a full one
        self.process = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=self._stderr)

    def wait_until_up(self, timeout: float = 60) -> float:
        """Seconds until /health answers."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                self._stderr.seek(0)
                raise AssertionError(f"storycanvas serve exited: {self._stderr.read().decode()}")
            try:
                request(self.base + "/health")
                return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"{self.base}/health did not answer")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            assert self.process.wait(timeout=30) == 0
        self._stderr.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._stderr.close()


def storycanvas(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def secantus_pids(data_dir: Path) -> list[int]:
    """Every live SecantusDB whose command line names a path under `data_dir`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _is_running(int(entry.name)):
            args = cmdline(int(entry.name))
            if any("secantus" in arg for arg in args[:3]) and any(str(data_dir) in arg for arg in args):
                pids.append(int(entry.name))
    return pids


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    return wait_until(lambda: not _is_running(pid), seconds)


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def orphan_secantus(storage: Path, port: int) -> int:
    """A SecantusDB as an older version left it after a crash: no parent of ours, no lock file."""
    command = (f"{sys.executable} -m secantus --host 127.0.0.1 --port {port} --storage-path {storage} "
               f"--log-level WARNING >/dev/null 2>&1 & echo $!")
    started = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True,
                             start_new_session=True)
    return int(started.stdout.strip())
