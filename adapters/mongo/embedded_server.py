"""The embedded default database: a SecantusDB child process on a free loopback port, which dies with its parent."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from attrs import define, field

HOST = "127.0.0.1"

# The child: SecantusDB, which stops when this process dies however it dies (see that script's docstring). Run by
# path with -P (nothing prepended to sys.path), so it needs neither the project installed nor a particular cwd.
GUARDED_MAIN = Path(__file__).with_name("guarded_secantus.py")


class EmbeddedServerError(RuntimeError):
    """SecantusDB did not start; the message says why in one line."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def mongo_url(port: int) -> str:
    return f"mongodb://{HOST}:{port}/?directConnection=true"


@define
class EmbeddedSecantus:
    """Start with `start()`, which returns the mongodb:// URL; `stop()` ends it (SIGTERM, then SIGKILL)."""

    data_dir: Path
    port: int = field(factory=free_port)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _lifeline: int | None = field(default=None, init=False)  # the pipe's write end; closing it stops the child

    @property
    def url(self) -> str:
        return mongo_url(self.port)

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}.log"

    def start(self, timeout: float = 60.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        read_end, self._lifeline = os.pipe()
        command = [sys.executable, "-P", str(GUARDED_MAIN), str(read_end), "--host", HOST, "--port", str(self.port),
                   "--storage-path", str(self.data_dir), "--log-level", "WARNING"]
        try:
            with self.log_path.open("ab") as log:
                # A new session: Ctrl-C reaches only the parent, which then stops the database cleanly.
                self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True,
                                                pass_fds=(read_end,))
        except BaseException:
            self._close_lifeline()
            raise
        finally:
            os.close(read_end)
        self._wait_until_answering(timeout)
        return self.url

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not answers(self.port):
            if self.process is None or self.process.poll() is not None:
                self._close_lifeline()
                raise EmbeddedServerError(f"SecantusDB exited at start-up ({self._last_log_line()}); see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise EmbeddedServerError(f"SecantusDB did not answer on port {self.port} within {timeout:.0f}s")
            time.sleep(0.05)

    def _last_log_line(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1].strip() if lines else "no log"

    def stop(self, timeout: float = 20.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_lifeline()

    def _close_lifeline(self) -> None:
        lifeline, self._lifeline = self._lifeline, None
        if lifeline is not None:
            os.close(lifeline)
