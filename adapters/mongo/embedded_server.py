"""The embedded default database: a SecantusDB child process on a free loopback port."""

import socket
import subprocess
import sys
import time
from pathlib import Path

from attrs import define, field

HOST = "127.0.0.1"


class EmbeddedServerError(RuntimeError):
    """SecantusDB did not start."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


@define
class EmbeddedSecantus:
    """Start with `start()`, which returns the mongodb:// URL; `stop()` ends it (SIGTERM, then SIGKILL)."""

    data_dir: Path
    port: int = field(factory=free_port)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"mongodb://{HOST}:{self.port}/?directConnection=true"

    def start(self, timeout: float = 60.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir.parent / f"{self.data_dir.name}.log").open("ab")
        command = [sys.executable, "-m", "secantus", "--host", HOST, "--port", str(self.port),
                   "--storage-path", str(self.data_dir), "--log-level", "WARNING"]
        # A new session: Ctrl-C reaches only the parent, which then stops the database cleanly.
        self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        log.close()
        self._wait_until_answering(timeout)
        return self.url

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not _answers(self.port):
            if self.process is None or self.process.poll() is not None:
                raise EmbeddedServerError(f"SecantusDB exited at start-up; see {self.data_dir}.log")
            if time.monotonic() > deadline:
                self.stop()
                raise EmbeddedServerError(f"SecantusDB did not answer on port {self.port} within {timeout:.0f}s")
            time.sleep(0.05)

    def stop(self, timeout: float = 20.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
