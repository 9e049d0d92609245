"""The stored files of clips' takes, deleted with the clips."""

from collections.abc import Iterable

from application.ports.media_store import MediaStore
from domain.clip import Clip


async def delete_take_files(media: MediaStore, clips: Iterable[Clip]) -> int:
    """Delete every take's file, and any generated file named after a clip that its gallery lost track of."""
    deleted = 0
    for clip in clips:
        for take in (*clip.generated_images, *clip.generated_videos):
            for path in (take.path, take.poster_path):
                deleted += bool(path is not None and await media.delete(path))
        deleted += await media.delete_generated(clip.project_id, clip.id)
    return deleted
