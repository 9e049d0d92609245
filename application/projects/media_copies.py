"""A duplicated project gets its own copies of the source's files, so deleting one never empties the other."""

from attrs import evolve, frozen

from application.ports.media_store import MediaStore
from domain.clip import Clip
from domain.generated_content import GeneratedContent
from domain.media import MusicTrack


@frozen
class MediaCopies:
    media: MediaStore
    project_id: str  # the copy's

    async def music(self, music: MusicTrack | None) -> MusicTrack | None:
        if music is None:
            return None
        copied = await self.media.copy(music.key, project_id=self.project_id)
        return None if copied is None else evolve(music, key=copied.key, url=copied.url)

    async def clip(self, clip: Clip) -> Clip:
        images = tuple([await self._take(take) for take in clip.generated_images])
        videos = tuple([await self._take(take) for take in clip.generated_videos])
        return evolve(clip, generated_images=images, generated_videos=videos)

    async def _take(self, take: GeneratedContent) -> GeneratedContent:
        copied = None if take.path is None else await self.media.copy(take.path, project_id=self.project_id)
        return take if copied is None else evolve(take, path=copied.key, url=copied.url)
