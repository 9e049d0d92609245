"""The SecantusDB of a DATA_DIR, shared by every process started on it; only the process that started it stops it.

`DATA_DIR/secantus.lock` records the running one (pid, port, owner_pid, started_at, storage_path). Every look at it
and every start or stop happens under an exclusive flock on DATA_DIR itself, so two processes never both start one.
"""

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from attrs import asdict, define, field, frozen

from adapters.mongo import secantus_processes as processes
from adapters.mongo.embedded_server import EmbeddedSecantus, EmbeddedServerError, answers, mongo_url

LOCK_FILE = "secantus.lock"
STORAGE = "secantus"


@frozen
class LockRecord:
    pid: int
    port: int
    owner_pid: int
    started_at: str
    storage_path: str

    @classmethod
    def of(cls, server: EmbeddedSecantus) -> "LockRecord":
        assert server.process is not None
        return cls(pid=server.process.pid, port=server.port, owner_pid=os.getpid(),
                   started_at=datetime.now(UTC).isoformat(timespec="seconds"), storage_path=str(server.data_dir))


@define
class DataDirDatabase:
    """`open()` returns the URL of the SecantusDB serving `data_dir`, started if none runs; `close()` stops it if ours."""

    data_dir: Path
    _owned: EmbeddedSecantus | None = field(default=None, init=False)

    @property
    def _storage(self) -> Path:
        return self.data_dir.resolve() / STORAGE

    @property
    def _lock_file(self) -> Path:
        return self.data_dir / LOCK_FILE

    def open(self) -> str:
        try:
            with self._exclusive():
                running = self._running()
                if running is not None:
                    return mongo_url(running.port)
                server = EmbeddedSecantus(self._storage)
                server.start()
                try:
                    self._write(LockRecord.of(server))
                except BaseException:
                    server.stop()
                    raise
                self._owned = server
                return server.url
        except OSError as exc:
            raise EmbeddedServerError(f"cannot use DATA_DIR {self.data_dir}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        server, self._owned = self._owned, None
        if server is None or server.process is None:
            return
        pid = server.process.pid
        with self._exclusive():
            server.stop()
            record = self._read()
            if record is not None and record.pid == pid:
                self._lock_file.unlink(missing_ok=True)

    def _running(self) -> LockRecord | None:
        """The recorded SecantusDB if its owner is alive and it answers; anything stale is stopped and forgotten."""
        record = self._read()
        if record is not None and processes.serves(record.pid, self._storage):
            if processes.parent_of(record.pid) == record.owner_pid and _answers_soon(record.port):
                return record
            processes.stop(record.pid, self._storage)  # its owner is gone (an older crash), or it hangs
        self._lock_file.unlink(missing_ok=True)
        for orphan in processes.secantus_on(self._storage):  # left by a version that kept no lock file
            processes.stop(orphan, self._storage)
        return None

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        directory = os.open(self.data_dir, os.O_RDONLY)
        try:
            fcntl.flock(directory, fcntl.LOCK_EX)  # released when the descriptor closes, or the process dies
            yield
        finally:
            os.close(directory)

    def _read(self) -> LockRecord | None:
        try:
            record = LockRecord(**json.loads(self._lock_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        numbers = (record.pid, record.port, record.owner_pid)
        return record if all(type(number) is int for number in numbers) else None

    def _write(self, record: LockRecord) -> None:
        partial = self._lock_file.with_name(f"{LOCK_FILE}.partial")
        partial.write_text(json.dumps(asdict(record), indent=2) + "\n")
        partial.replace(self._lock_file)


def _answers_soon(port: int, *, within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while not answers(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
