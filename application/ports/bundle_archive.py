"""Port: a whole project packed into one portable file (a bundle), and read back."""

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from attrs import field, frozen

from application.errors import ApplicationError
from domain.character import Character
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.template import Template


class InvalidBundle(ApplicationError):
    """The file is not a StoryCanvas bundle, or a damaged one; the message says what is wrong."""


@frozen
class ProjectBundle:
    """Everything of one project as it was stored: entities under their ids, files under their media keys."""

    project: Project
    scenes: tuple[Scene, ...] = ()
    clips: tuple[Clip, ...] = ()
    characters: tuple[Character, ...] = ()
    templates: tuple[Template, ...] = ()
    images: tuple[str, ...] = ()  # keys of the project's uploaded images (characters' references)
    files: Mapping[str, bytes] = field(factory=dict)  # media key -> bytes


class BundleArchive(Protocol):
    async def write(self, bundle: ProjectBundle, destination: Path) -> int:
        """Write the bundle to `destination` (whole or not at all); returns its size in bytes. OSError if unwritable."""
        ...

    async def read(self, source: Path) -> ProjectBundle:
        """The bundle in `source`; InvalidBundle for anything else (not a zip, foreign, damaged, unreadable)."""
        ...
