"""What every media store does alike: keep a staged file under a fresh name, store and delete a clip's takes."""

from collections.abc import AsyncIterator
from typing import Protocol

from adapters.media.content_sniffing import OCTET_STREAM
from adapters.media.media_keys import folder_key, is_named_after, new_name, sanitize_original_name
from application.ports.media_store import StagedFile, StoredMedia

GENERATED = "generated"


class Keeping(Protocol):
    """A media store as these functions use it: staging, and `put` to move staged bytes under a key."""

    url_prefix: str

    async def stage(self, chunks: AsyncIterator[bytes], *, max_bytes: int) -> StagedFile: ...

    async def discard(self, staged: StagedFile) -> None: ...

    def put(self, staged: StagedFile, key: str) -> None: ...

    async def listing(self, project_id: str | None, folder: str) -> list[StoredMedia]: ...

    async def delete(self, key: str) -> bool: ...


def keep(store: Keeping, staged: StagedFile, prefix: str, original_name: str | None, *,
         name_prefix: str | None = None) -> StoredMedia:
    """Move `staged` under `prefix` with a fresh name (led by `name_prefix`); the user's name is only recorded."""
    key = f"{prefix}/{new_name(staged.extension or '.bin', name_prefix)}"
    store.put(staged, key)
    return StoredMedia(key=key, url=f"{store.url_prefix}/{key}", content_type=staged.content_type or OCTET_STREAM,
                       kind=staged.kind, size=staged.size, original_name=sanitize_original_name(original_name))


async def store_generated(store: Keeping, project_id: str, clip_id: str, filename_hint: str,
                          chunks: AsyncIterator[bytes], *, max_bytes: int) -> StoredMedia:
    """A take of `clip_id`, in the project's generated folder under a name that starts with the clip's id."""
    prefix = folder_key(project_id, GENERATED)
    staged = await store.stage(chunks, max_bytes=max_bytes)
    try:
        return keep(store, staged, prefix, filename_hint, name_prefix=clip_id)
    finally:
        await store.discard(staged)


async def delete_generated(store: Keeping, project_id: str, clip_id: str) -> int:
    """Every take of `clip_id` (the files named after it); how many went."""
    named = [item.key for item in await store.listing(project_id, GENERATED)
             if is_named_after(item.key.rsplit("/", 1)[-1], clip_id)]
    return sum([await store.delete(key) for key in named])
