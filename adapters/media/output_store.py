"""Generated takes on the filesystem: UPLOAD_DIR/projects/<project>/generated/<new name>."""

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from attrs import define

from adapters.media.content_types import sniff
from application.ports.output_store import StoredOutput

FILES_URL = "/api/v1/media/files/"
SAFE_ID = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


def _safe(part: str) -> str:
    if not part or not set(part) <= SAFE_ID:
        raise ValueError(f"unsafe storage name {part!r}")
    return part


@define
class FilesystemOutputStore:
    root: Path

    async def save_output(self, project_id: str, clip_id: str, filename: str,
                          chunks: AsyncIterator[bytes]) -> StoredOutput:
        folder = self.root / "projects" / _safe(project_id) / "generated"
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{uuid.uuid4().hex}.part"
        size, head = 0, b""
        try:
            with partial.open("wb") as sink:
                async for chunk in chunks:
                    head = (head + chunk)[:16] if len(head) < 16 else head
                    size += len(chunk)
                    sink.write(chunk)
            content_type, extension = sniff(head)
            final = folder / f"{_safe(clip_id)}-{uuid.uuid4().hex[:12]}{extension}"
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        key = final.relative_to(self.root).as_posix()
        return StoredOutput(key=key, url=FILES_URL + key, content_type=content_type, size=size)
