"""SecantusDB processes seen through /proc (Linux): which one serves a storage path, whose child it is, stopping it."""

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _cmdline(pid: int) -> list[str]:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces): state, ppid, ..."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def is_running(pid: int) -> bool:
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if len(fields) > 1 else None


def serves(pid: int, storage: Path) -> bool:
    """True if `pid` is a live SecantusDB on `storage`, as its command line proves (its own or an older version's)."""
    args = _cmdline(pid)
    if not is_running(pid) or not any("secantus" in arg for arg in args[:3]):
        return False
    if "--storage-path" not in args[:-1]:
        return False
    given = Path(args[args.index("--storage-path") + 1])
    try:
        path = given if given.is_absolute() else Path(os.readlink(PROC / str(pid) / "cwd")) / given
        return path.resolve() == storage.resolve()
    except OSError:
        return False


def secantus_on(storage: Path) -> list[int]:
    """Every live SecantusDB on `storage`, recorded or not."""
    if not PROC.is_dir():
        return []
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit() and serves(int(entry.name), storage)]


def stop(pid: int, storage: Path, *, grace: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; only while the command line still proves it serves `storage`."""
    for signum, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        if not serves(pid, storage):
            return
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
