"""Child processes of the bench: start one on a loopback port, wait until it answers, stop it by pid."""

import argparse
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import define

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent


class ProcessError(RuntimeError):
    """A child process exited or did not answer in time."""


@define
class Server:
    """One HTTP server child process; its output goes to `log`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(name: str, module_args: list[str], *, port: int, log: Path,
                 env: Mapping[str, str] | None = None) -> Server:
    """Run `python -m <module_args>` from the repository root, output to `log`."""
    with log.open("ab") as output:
        process = subprocess.Popen([sys.executable, "-m", *module_args], cwd=REPO, env=env,
                                   stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Server(name, port, process, log)


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"({log}: {exc.strerror})"


def wait_until_ok(server: Server, path: str, timeout: float = 60.0) -> None:
    """Poll `path` until it answers 200; fail early if the process exits."""
    deadline = time.monotonic() + timeout
    while _status(server.url(path)) != 200:
        if server.process.poll() is not None:
            raise ProcessError(f"{server.name} exited with {server.process.returncode}; its log ends:\n"
                               + _tail(server.log))
        if time.monotonic() > deadline:
            raise ProcessError(f"{server.name} did not answer {path} within {timeout:.0f}s; see {server.log}")
        time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def positive(kind: type) -> Any:
    """An argparse type: a positive number of `kind`."""

    def parse(raw: str) -> Any:
        value = kind(raw)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be positive")
        return value

    return parse
