"""Reads of stored media."""

from attrs import define

from application.errors import NotFound
from application.ports.media_store import LocatedFile, MediaStore


@define
class LocateMediaFile:
    media: MediaStore

    def __call__(self, key: str) -> LocatedFile:
        located = self.media.locate(key)
        if located is None:
            raise NotFound("Media file", key)
        return located
