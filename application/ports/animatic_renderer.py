"""Port: an animatic (MP4: picture, the song, lyrics as captions) rendered from a board, and where it is kept."""

from collections.abc import Callable
from typing import Protocol

from attrs import frozen

from application.ports.media_store import LocatedFile
from application.ports.project_board_reader import ProjectBoard
from domain.render_job import AnimaticSettings

Progress = Callable[[float], None]  # called from the rendering worker with 0..1; raising stops the render


@frozen
class RenderedAnimatic:
    key: str
    duration_s: float


class AnimaticRenderer(Protocol):
    async def render(self, board: ProjectBoard, settings: AnimaticSettings, *, name: str,
                     progress: Progress) -> RenderedAnimatic:
        """Render off the event loop into a file named after `name` (a job id); nothing is left if it fails."""
        ...

    def locate(self, key: str) -> LocatedFile | None: ...

    async def delete(self, key: str) -> None: ...
