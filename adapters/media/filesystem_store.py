"""Media on the local filesystem under UPLOAD_DIR: staged aside, kept under generated names, never escaping."""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from attrs import define

from adapters.media.content_sniffing import BY_EXTENSION, OCTET_STREAM, MediaType, sniff
from adapters.media.kept_files import delete_generated, keep, store_generated
from adapters.media.media_keys import PROJECTS, folder_key, is_key, is_project_id, new_name
from application.errors import PayloadTooLarge
from application.ports.media_store import LocatedFile, StagedFile, StoredMedia

STAGING = ".staging"
BATCH_BYTES = 1 << 20


def too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is larger than the limit of {max_bytes / (1024 * 1024):g} MB")


def staged_file(token: str, size: int, media_type: MediaType | None) -> StagedFile:
    if media_type is None:
        return StagedFile(token=token, size=size, content_type=None, kind=None, extension=None)
    return StagedFile(token=token, size=size, content_type=media_type.content_type, kind=media_type.kind,
                      extension=media_type.extension)


def _sniff_file(path: Path) -> MediaType | None:
    with path.open("rb") as source:
        def read(offset: int, size: int) -> bytes:
            source.seek(offset)
            return source.read(size)

        return sniff(read)


def _write_all(path: Path, chunks: list[bytes]) -> None:
    with path.open("ab") as out:
        out.writelines(chunks)


def _count_files(directory: Path) -> int:
    return sum(1 for entry in directory.rglob("*") if entry.is_file() and not entry.is_symlink())


@define
class FilesystemMediaStore:
    root: Path
    url_prefix: str = "/api/v1/media/files"

    async def stage(self, chunks: AsyncIterator[bytes], *, max_bytes: int) -> StagedFile:
        token = uuid.uuid4().hex
        path = self._inside(STAGING) / f"{token}.part"
        try:
            size = await self._receive(path, chunks, max_bytes)
            media_type = await asyncio.to_thread(_sniff_file, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return staged_file(token, size, media_type)

    async def _receive(self, path: Path, chunks: AsyncIterator[bytes], max_bytes: int) -> int:
        """Append chunks in batches of ~1 MiB, counting as they come: past the cap nothing more is read."""
        path.touch(mode=0o600, exist_ok=False)
        size, written, batch = 0, 0, []
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            batch.append(chunk)
            if size - written >= BATCH_BYTES:
                await asyncio.to_thread(_write_all, path, batch)
                written, batch = size, []
        await asyncio.to_thread(_write_all, path, batch)
        return size

    def open_staged(self, staged: StagedFile) -> BinaryIO:
        return self._staged_path(staged).open("rb")

    async def keep(
        self, staged: StagedFile, *, project_id: str | None, folder: str, original_name: str | None
    ) -> StoredMedia:
        return keep(self, staged, folder_key(project_id, folder), original_name)

    async def discard(self, staged: StagedFile) -> None:
        self._staged_path(staged).unlink(missing_ok=True)

    async def store_generated(
        self, project_id: str, clip_id: str, filename_hint: str, chunks: AsyncIterator[bytes], *, max_bytes: int
    ) -> StoredMedia:
        return await store_generated(self, project_id, clip_id, filename_hint, chunks, max_bytes=max_bytes)

    async def copy(self, key: str, *, project_id: str) -> StoredMedia | None:
        located = self.locate(key)
        if located is None:
            return None
        prefix = folder_key(project_id, key.split("/")[-2])
        name = new_name(located.path.suffix)
        target = self._inside(prefix) / name
        await asyncio.to_thread(shutil.copyfile, located.path, target)
        media_type = BY_EXTENSION.get(located.path.suffix)
        return StoredMedia(key=f"{prefix}/{name}", url=f"{self.url_prefix}/{prefix}/{name}",
                           content_type=located.content_type, kind=media_type.kind if media_type else None,
                           size=target.stat().st_size)

    async def read(self, key: str) -> bytes | None:
        located = self.locate(key)
        return None if located is None else await asyncio.to_thread(located.path.read_bytes)

    async def delete(self, key: str) -> bool:
        located = self.locate(key)
        if located is None:
            return False
        located.path.unlink(missing_ok=True)
        return True

    async def listing(self, project_id: str | None, folder: str) -> list[StoredMedia]:
        try:
            prefix = folder_key(project_id, folder)
        except ValueError:
            return []
        directory = self.root / prefix
        if directory.is_symlink() or not directory.is_dir() or not self._is_inside(directory):
            return []
        return await asyncio.to_thread(self._listed, prefix, directory)

    async def delete_generated(self, project_id: str, clip_id: str) -> int:
        return await delete_generated(self, project_id, clip_id)

    async def delete_project(self, project_id: str) -> int:
        if not is_project_id(project_id):
            return 0
        directory = self.root / PROJECTS / project_id
        if directory.is_symlink():  # never follow a planted link out of the store
            directory.unlink()
            return 0
        if not directory.is_dir() or not self._is_inside(directory):
            return 0
        count = await asyncio.to_thread(_count_files, directory)
        await asyncio.to_thread(shutil.rmtree, directory)
        return count

    def locate(self, key: str) -> LocatedFile | None:
        if not is_key(key):
            return None
        path = self.root / key
        if path.is_symlink() or not self._is_inside(path) or not path.is_file():
            return None
        media_type = BY_EXTENSION.get(path.suffix)
        return LocatedFile(path=path.resolve(), content_type=media_type.content_type if media_type else OCTET_STREAM)

    def file_url(self, key: str) -> str | None:
        located = self.locate(key)
        return None if located is None else located.path.as_uri()

    def _listed(self, prefix: str, directory: Path) -> list[StoredMedia]:
        listed = []
        for entry in directory.iterdir():
            located = self.locate(f"{prefix}/{entry.name}")
            if located is not None:
                media_type = BY_EXTENSION.get(entry.suffix)
                listed.append((entry.stat().st_mtime_ns, StoredMedia(
                    key=f"{prefix}/{entry.name}", url=f"{self.url_prefix}/{prefix}/{entry.name}",
                    content_type=located.content_type, kind=media_type.kind if media_type else None,
                    size=located.path.stat().st_size)))
        return [item for _, item in sorted(listed, key=lambda pair: (pair[0], pair[1].key))]

    def put(self, staged: StagedFile, key: str) -> None:
        prefix, name = key.rsplit("/", 1)
        self._staged_path(staged).replace(self._inside(prefix) / name)

    def _staged_path(self, staged: StagedFile) -> Path:
        return self._inside(STAGING) / f"{uuid.UUID(hex=staged.token).hex}.part"

    def _is_inside(self, path: Path) -> bool:
        """Whether `path` resolves exactly where its name says: no symlink anywhere leads it elsewhere."""
        return path.resolve() == self.root.resolve() / path.relative_to(self.root)

    def _inside(self, relative: str) -> Path:
        """A directory under the root, created if needed; refused if a planted link makes it lead elsewhere."""
        directory = self.root / relative
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self._is_inside(directory):
            raise PermissionError("the media directory has been tampered with")
        return directory
