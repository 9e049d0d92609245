"""A bundle's files stored anew under the imported project: music, images, and takes named after their new clips."""

from collections.abc import AsyncIterator, Mapping

from attrs import define, evolve, field

from application.ports.bundle_archive import ProjectBundle
from application.ports.media_store import MediaStore, StoredMedia
from domain.generated_content import GeneratedContent
from domain.media import MusicTrack


async def _chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


@define
class BundleFiles:
    media: MediaStore
    bundle: ProjectBundle
    project_id: str  # the imported project's
    _stored: dict[str, StoredMedia] = field(factory=dict)  # bundle key -> stored here

    @property
    def count(self) -> int:
        return len(self._stored)

    async def store_all(self, clip_ids: Mapping[str, str]) -> None:
        music = self.bundle.project.music
        if music is not None:
            await self._keep(music.key, "music", music.original_name)
        for key in self.bundle.images:
            await self._keep(key, "images", None)
        for clip in self.bundle.clips:
            for take in (*clip.generated_images, *clip.generated_videos):
                for key in (take.path, take.poster_path):
                    await self._generated(key, clip_ids[clip.id])

    async def _keep(self, key: str, folder: str, original_name: str | None) -> None:
        content = self.bundle.files.get(key)
        if content is None or key in self._stored:
            return
        staged = await self.media.stage(_chunks(content), max_bytes=len(content))
        try:
            self._stored[key] = await self.media.keep(staged, project_id=self.project_id, folder=folder,
                                                      original_name=original_name)
        finally:
            await self.media.discard(staged)

    async def _generated(self, key: str | None, clip_id: str) -> None:
        content = None if key is None else self.bundle.files.get(key)
        if key is None or content is None or key in self._stored:
            return
        self._stored[key] = await self.media.store_generated(
            self.project_id, clip_id, key.rsplit("/", 1)[-1], _chunks(content), max_bytes=len(content))

    def music(self, music: MusicTrack | None) -> MusicTrack | None:
        stored = None if music is None else self._stored.get(music.key)
        return None if music is None or stored is None else evolve(music, key=stored.key, url=stored.url)

    def take(self, take: GeneratedContent, *, take_id: str) -> GeneratedContent:
        """The take under its new id, pointing at its new files (or at none, when the bundle had none)."""
        file, poster = self._stored.get(take.path or ""), self._stored.get(take.poster_path or "")
        return evolve(take, id=take_id, job_id=None, path=file.key if file else None,
                      url=file.url if file else take.url, poster_path=poster.key if poster else None,
                      poster_url=poster.url if poster else take.poster_url)

    def reference(self, url: str) -> str:
        """A character's reference image: the new URL of a bundled image, any other URL unchanged."""
        for key, stored in self._stored.items():
            if url.endswith("/" + key):
                return stored.url
        return url
