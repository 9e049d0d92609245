"""Port: a printable storyboard sheet (PDF) of a board, and its pages as pictures."""

from enum import Enum
from typing import Protocol

from attrs import frozen

from application.ports.project_board_reader import ProjectBoard


class SheetLayout(str, Enum):
    """Panels per page, columns x rows."""

    TWO_BY_THREE = "2x3"
    THREE_BY_THREE = "3x3"
    THREE_BY_FOUR = "3x4"

    @property
    def columns(self) -> int:
        return int(self.value.split("x")[0])

    @property
    def rows(self) -> int:
        return int(self.value.split("x")[1])


class Paper(str, Enum):
    A4 = "a4"
    LETTER = "letter"


@frozen
class SheetOptions:
    layout: SheetLayout = SheetLayout.THREE_BY_FOUR
    paper: Paper = Paper.A4
    tempo_bpm: float | None = None  # from the song's analysis, when there is one


@frozen
class Sheet:
    content: bytes  # application/pdf
    pages: int
    title: str


class StoryboardRenderer(Protocol):
    async def sheet(self, board: ProjectBoard, options: SheetOptions) -> Sheet:
        """Header (title, music, tempo), scenes in order, one panel per main clip, page numbers."""
        ...

    async def page_png(self, sheet: Sheet, page: int) -> bytes:
        """Page `page` (1-based, within `sheet.pages`) as a PNG."""
        ...
