"""Reads of stored media."""

from attrs import define, frozen

from application.errors import NotFound
from application.lookups import require
from application.ports.media_store import LocatedFile, MediaStore
from application.ports.unit_of_work import UnitOfWork


@define
class LocateMediaFile:
    media: MediaStore

    def __call__(self, key: str) -> LocatedFile:
        located = self.media.locate(key)
        if located is None:
            raise NotFound("Media file", key)
        return located


@frozen
class ProjectImage:
    """An image uploaded for a project, and the characters that use it as a reference image."""

    key: str
    url: str
    content_type: str
    size: int
    character_ids: tuple[str, ...]


@define
class ListProjectImages:
    uow: UnitOfWork
    media: MediaStore

    async def __call__(self, project_id: str) -> list[ProjectImage]:
        async with self.uow.reading():
            await require(self.uow.projects, project_id, "Project")
            characters = await self.uow.characters.all()
        return [
            ProjectImage(key=image.key, url=image.url, content_type=image.content_type, size=image.size,
                         character_ids=tuple(c.id for c in characters if image.url in c.reference_images))
            for image in await self.media.listing(project_id, "images")
        ]
