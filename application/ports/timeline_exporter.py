"""Port: one editing timeline built from a project's board, written in an editor's interchange format."""

from enum import Enum
from typing import Protocol

from attrs import frozen

from application.ports.project_board_reader import ProjectBoard
from domain.music import RhythmMarkers
from domain.timecode import FrameRate


class ExportFormat(str, Enum):
    FCPXML = "fcpxml"
    EDL = "edl"
    RESOLVE = "resolve"
    RESOLVE_XML = "resolve-xml"
    OTIO = "otio"
    JSON = "json"


@frozen
class ExportOptions:
    format: ExportFormat
    rate: FrameRate
    start_frame: int
    rhythm: RhythmMarkers | None = None  # the song's beats or bars, marked on the timeline (issue 13)


@frozen
class ExportedFile:
    content: bytes
    media_type: str
    extension: str  # with its dot: ".fcpxml"
    title: str  # the project's name, for the file name


class TimelineExporter(Protocol):
    async def export(self, board: ProjectBoard, options: ExportOptions) -> ExportedFile: ...
