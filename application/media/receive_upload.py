"""An upload's common path: staged under the size cap, its type checked by content, inspected, then kept."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import BinaryIO, TypeVar

from application.errors import UnsupportedMedia
from application.ports.media_store import MediaStore, StoredMedia
from domain.media import MediaKind

T = TypeVar("T")
Inspect = Callable[[BinaryIO, str], Awaitable[T]]
MEGABYTE = 1024 * 1024


async def receive_upload(
    media: MediaStore, chunks: AsyncIterator[bytes], inspect: Inspect[T], *,
    kind: MediaKind, accepted: str, max_mb: int, project_id: str | None, folder: str, original_name: str | None,
) -> tuple[StoredMedia, T]:
    """Keep the upload only if its bytes are a `kind` file that `inspect` reads; the staged copy never stays."""
    staged = await media.stage(chunks, max_bytes=max_mb * MEGABYTE)
    try:
        if staged.kind is not kind or staged.content_type is None:
            raise UnsupportedMedia(f"The file is not a supported {kind.value} file; send {accepted}")
        with media.open_staged(staged) as source:
            info = await inspect(source, staged.content_type)
        kept = await media.keep(staged, project_id=project_id, folder=folder, original_name=original_name)
        return kept, info
    finally:
        await media.discard(staged)
