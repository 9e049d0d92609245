"""An in-memory media store: the same keys, caps and sniffing as the filesystem one, with no files."""

import io
import uuid
from collections.abc import AsyncIterator
from typing import BinaryIO

from attrs import define, field, frozen

from adapters.media.content_sniffing import BY_EXTENSION, OCTET_STREAM, sniff_bytes
from adapters.media.filesystem_store import staged_file, too_large
from adapters.media.kept_files import delete_generated, keep, store_generated
from adapters.media.media_keys import PROJECTS, folder_key, is_key, new_name
from application.ports.media_store import LocatedFile, StagedFile, StoredMedia


@frozen
class Blob:
    data: bytes
    content_type: str


@define
class InMemoryMediaStore:
    url_prefix: str = "/api/v1/media/files"
    blobs: dict[str, Blob] = field(factory=dict)
    staged: dict[str, bytes] = field(factory=dict)

    async def stage(self, chunks: AsyncIterator[bytes], *, max_bytes: int) -> StagedFile:
        received = bytearray()
        async for chunk in chunks:
            received += chunk
            if len(received) > max_bytes:
                raise too_large(max_bytes)
        token = uuid.uuid4().hex
        self.staged[token] = bytes(received)
        return staged_file(token, len(received), sniff_bytes(self.staged[token]))

    def open_staged(self, staged: StagedFile) -> BinaryIO:
        return io.BytesIO(self.staged[staged.token])

    async def keep(
        self, staged: StagedFile, *, project_id: str | None, folder: str, original_name: str | None
    ) -> StoredMedia:
        return keep(self, staged, folder_key(project_id, folder), original_name)

    async def discard(self, staged: StagedFile) -> None:
        self.staged.pop(staged.token, None)

    async def store_generated(
        self, project_id: str, clip_id: str, filename_hint: str, chunks: AsyncIterator[bytes], *, max_bytes: int
    ) -> StoredMedia:
        return await store_generated(self, project_id, clip_id, filename_hint, chunks, max_bytes=max_bytes)

    async def copy(self, key: str, *, project_id: str) -> StoredMedia | None:
        blob = self.blobs.get(key)
        if blob is None:
            return None
        extension = "." + key.rsplit(".", 1)[-1]
        copied = f"{folder_key(project_id, key.split('/')[-2])}/{new_name(extension)}"
        self.blobs[copied] = blob
        media_type = BY_EXTENSION.get(extension)
        return StoredMedia(key=copied, url=f"{self.url_prefix}/{copied}", content_type=blob.content_type,
                           kind=media_type.kind if media_type else None, size=len(blob.data))

    async def read(self, key: str) -> bytes | None:
        blob = self.blobs.get(key)
        return None if blob is None else blob.data

    async def delete(self, key: str) -> bool:
        return self.blobs.pop(key, None) is not None

    async def listing(self, project_id: str | None, folder: str) -> list[StoredMedia]:
        try:
            prefix = folder_key(project_id, folder)
        except ValueError:
            return []
        return [self._stored(key) for key in self.blobs if key.rsplit("/", 1)[0] == prefix]  # oldest first

    async def delete_generated(self, project_id: str, clip_id: str) -> int:
        return await delete_generated(self, project_id, clip_id)

    async def delete_project(self, project_id: str) -> int:
        doomed = [key for key in self.blobs if key.split("/")[:2] == [PROJECTS, project_id]]
        for key in doomed:
            del self.blobs[key]
        return len(doomed)

    def locate(self, key: str) -> LocatedFile | None:
        return None  # nothing lives on disk

    def file_url(self, key: str) -> str | None:
        return f"file:///in-memory-media/{key}" if is_key(key) and key in self.blobs else None

    def _stored(self, key: str) -> StoredMedia:
        blob = self.blobs[key]
        media_type = BY_EXTENSION.get("." + key.rsplit(".", 1)[-1])
        return StoredMedia(key=key, url=f"{self.url_prefix}/{key}", content_type=blob.content_type,
                           kind=media_type.kind if media_type else None, size=len(blob.data))

    def put(self, staged: StagedFile, key: str) -> None:
        self.blobs[key] = Blob(self.staged.pop(staged.token), staged.content_type or OCTET_STREAM)
