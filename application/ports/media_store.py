"""Port: where uploaded and generated media live, under generated keys that never leave the store."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO, Protocol

from attrs import frozen

from domain.media import MediaKind


@frozen
class StagedFile:
    """An upload written aside, with its type as sniffed from its first bytes (None when unknown)."""

    token: str
    size: int
    content_type: str | None
    kind: MediaKind | None
    extension: str | None


@frozen
class StoredMedia:
    key: str  # "projects/<project id>/<folder>/<generated name>" or "shared/<folder>/<generated name>"
    url: str  # where the API serves it
    content_type: str
    kind: MediaKind | None
    size: int
    original_name: str | None = None  # sanitised; metadata only


@frozen
class LocatedFile:
    path: Path
    content_type: str


class MediaStore(Protocol):
    async def stage(self, chunks: AsyncIterator[bytes], *, max_bytes: int) -> StagedFile:
        """Write `chunks` aside as they arrive; past `max_bytes` raise PayloadTooLarge and keep nothing."""
        ...

    def open_staged(self, staged: StagedFile) -> BinaryIO:
        """The staged bytes, opened for reading (the caller closes it)."""
        ...

    async def keep(
        self, staged: StagedFile, *, project_id: str | None, folder: str, original_name: str | None
    ) -> StoredMedia:
        """Move a staged file into a folder (music, images) of a project, or shared, under a generated name."""
        ...

    async def discard(self, staged: StagedFile) -> None:
        """Forget a staged file; nothing happens if it was kept."""
        ...

    async def store_generated(
        self, project_id: str, clip_id: str, filename_hint: str, chunks: AsyncIterator[bytes], *, max_bytes: int
    ) -> StoredMedia:
        """Store a generated output streamed from a generation server; its type comes from its bytes."""
        ...

    async def copy(self, key: str, *, project_id: str) -> StoredMedia | None:
        """A copy of a stored file into the same folder of another project, under a new name; None if absent."""
        ...

    async def read(self, key: str) -> bytes | None: ...

    async def delete(self, key: str) -> bool: ...

    async def listing(self, project_id: str | None, folder: str) -> list[StoredMedia]:
        """The files of one folder (music, images, generated) of a project, or shared, oldest first."""
        ...

    async def delete_generated(self, project_id: str, clip_id: str) -> int:
        """Delete a project's generated files named after a clip, filed in its gallery or not; returns how many."""
        ...

    async def delete_project(self, project_id: str) -> int:
        """Delete every file of a project; returns how many were removed."""
        ...

    def locate(self, key: str) -> LocatedFile | None:
        """The file behind a key on this machine, for serving; None for unknown keys and any escape attempt."""
        ...

    def file_url(self, key: str) -> str | None:
        """A file:// URL an editing application on this machine can open, or None."""
        ...
