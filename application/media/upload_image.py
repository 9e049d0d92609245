"""Upload an image (a character reference or an init image), verified and bounded in pixels."""

from collections.abc import AsyncIterator
from functools import partial

from attrs import define, evolve, frozen

from application.errors import Conflict
from application.lookups import require
from application.media.receive_upload import receive_upload
from application.ports.clock import Clock
from application.ports.media_probe import ImageInfo, MediaProbe
from application.ports.media_store import MediaStore, StoredMedia
from application.ports.unit_of_work import UnitOfWork
from domain.character import Character
from domain.media import MediaKind

ACCEPTED_IMAGES = "PNG, JPEG, WEBP or GIF"


@frozen
class UploadImage:
    chunks: AsyncIterator[bytes]
    file_name: str | None = None
    project_id: str | None = None
    character_id: str | None = None


@frozen
class UploadedImage:
    """A stored image; with a character, its URL was appended to the character's reference images."""

    key: str
    url: str
    content_type: str
    size: int
    format: str
    width: int
    height: int
    original_name: str | None
    project_id: str | None
    character_id: str | None


def uploaded(stored: StoredMedia, info: ImageInfo, project_id: str | None, character_id: str | None) -> UploadedImage:
    return UploadedImage(
        key=stored.key, url=stored.url, content_type=stored.content_type, size=stored.size, format=info.format,
        width=info.width, height=info.height, original_name=stored.original_name, project_id=project_id,
        character_id=character_id,
    )


@define
class UploadImageHandler:
    uow: UnitOfWork
    media: MediaStore
    probe: MediaProbe
    clock: Clock
    max_mb: int
    max_pixels: int

    async def __call__(self, cmd: UploadImage) -> UploadedImage:
        project_id = await self._owner(cmd)
        stored, info = await receive_upload(
            self.media, cmd.chunks, partial(self.probe.image, max_pixels=self.max_pixels),
            kind=MediaKind.IMAGE, accepted=ACCEPTED_IMAGES, max_mb=self.max_mb,
            project_id=project_id, folder="images", original_name=cmd.file_name,
        )
        if cmd.character_id is not None:
            try:
                await self._add_reference(cmd.character_id, stored.url)
            except BaseException:
                await self.media.delete(stored.key)
                raise
        return uploaded(stored, info, project_id, cmd.character_id)

    async def _owner(self, cmd: UploadImage) -> str | None:
        """The project the image belongs to: the given one, else the character's."""
        async with self.uow:
            if cmd.project_id is not None:
                await require(self.uow.projects, cmd.project_id, "Project")
            if cmd.character_id is None:
                return cmd.project_id
            character = await require(self.uow.characters, cmd.character_id, "Character")
        return _same_project(character, cmd.project_id)

    async def _add_reference(self, character_id: str, url: str) -> Character:
        async with self.uow:
            character = await require(self.uow.characters, character_id, "Character")
            changed = evolve(character, reference_images=(*character.reference_images, url),
                             updated_at=self.clock.now())
            saved = await self.uow.characters.update(changed)
            await self.uow.commit()
        return saved


def _same_project(character: Character, project_id: str | None) -> str | None:
    if project_id is not None and character.project_id not in (None, project_id):
        raise Conflict(f"character '{character.id}' belongs to another project")
    return project_id or character.project_id
