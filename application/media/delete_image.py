"""Delete an uploaded image; characters that used it as a reference image stop listing it."""

from attrs import define, evolve, frozen

from application.errors import NotFound
from application.ports.clock import Clock
from application.ports.media_store import MediaStore, StoredMedia
from application.ports.unit_of_work import UnitOfWork


@frozen
class DeleteImage:
    name: str
    project_id: str | None = None  # None: a shared image


@frozen
class ImageDeleted:
    key: str
    character_ids: tuple[str, ...]  # characters whose reference images listed it


@define
class DeleteImageHandler:
    uow: UnitOfWork
    media: MediaStore
    clock: Clock

    async def __call__(self, cmd: DeleteImage) -> ImageDeleted:
        image = await self._image(cmd)
        async with self.uow:
            users = [c for c in await self.uow.characters.all() if image.url in c.reference_images]
            for character in users:
                kept = tuple(url for url in character.reference_images if url != image.url)
                await self.uow.characters.update(evolve(character, reference_images=kept, updated_at=self.clock.now()))
            await self.uow.commit()
        await self.media.delete(image.key)
        return ImageDeleted(key=image.key, character_ids=tuple(c.id for c in users))

    async def _image(self, cmd: DeleteImage) -> StoredMedia:
        for image in await self.media.listing(cmd.project_id, "images"):
            if image.key.rsplit("/", 1)[-1] == cmd.name:
                return image
        raise NotFound("Image", cmd.name)
