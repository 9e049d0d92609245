"""Readiness of the media directory: it exists and takes a file."""

import asyncio
import tempfile
from pathlib import Path

from attrs import frozen


def _probe_write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".ready-"):
        pass


@frozen
class UploadDirProbe:
    directory: Path
    name: str = "media"

    async def check(self) -> None:
        await asyncio.to_thread(_probe_write, self.directory)
