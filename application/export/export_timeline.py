"""Export a project's board as one editing timeline (FCPXML, EDL, OTIO, FCP7 XML or JSON)."""

from attrs import define, frozen

from application.errors import NotFound
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.timeline_exporter import ExportedFile, ExportFormat, ExportOptions, TimelineExporter
from domain.timecode import frame_rate, parse_timecode

DEFAULT_FPS = "24"
DEFAULT_START = "01:00:00:00"


@frozen
class ExportTimeline:
    project_id: str
    format: ExportFormat
    fps: str = DEFAULT_FPS
    start_timecode: str = DEFAULT_START


@define
class ExportTimelineHandler:
    reader: ProjectBoardReader
    exporter: TimelineExporter

    async def __call__(self, cmd: ExportTimeline) -> ExportedFile:
        rate = frame_rate(cmd.fps)
        options = ExportOptions(cmd.format, rate, parse_timecode(cmd.start_timecode, rate))
        board = await self.reader.board(cmd.project_id)
        if board is None:
            raise NotFound("Project", cmd.project_id)
        return await self.exporter.export(board, options)
