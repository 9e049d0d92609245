"""Port: the whole board of a project (scenes in order, each with its clips) in one read."""

from typing import Protocol

from attrs import frozen

from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene


@frozen
class SceneWithClips:
    scene: Scene
    clips: tuple[Clip, ...]


@frozen
class ProjectBoard:
    project: Project
    scenes: tuple[SceneWithClips, ...]
    version: int = 0  # the board version: changes with every change to the project, its scenes, clips and takes


class ProjectBoardReader(Protocol):
    async def board(self, project_id: str, *, version: int | None = None) -> ProjectBoard | None:
        """Scenes by (order, alternate_number); clips by (timeline_position, alternate_number). `version`: the board
        version the caller has just read (before this call), so it is not read again."""
        ...

    async def board_version(self, project_id: str) -> int | None:
        """The board version alone, from one small read; None for an unknown project."""
        ...
