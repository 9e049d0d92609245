"""Export a project's board as one editing timeline (FCPXML, EDL, OTIO, FCP7 XML or JSON)."""

from attrs import define, frozen

from application.errors import NotFound
from application.music.queries import ready_grid
from application.ports.music_analysis_store import MusicAnalysisStore
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.timeline_exporter import ExportedFile, ExportFormat, ExportOptions, TimelineExporter
from domain.music import MarkerChoice, RhythmMarkers
from domain.project import Project
from domain.timecode import frame_rate, parse_timecode

DEFAULT_FPS = "24"
DEFAULT_START = "01:00:00:00"


@frozen
class ExportTimeline:
    project_id: str
    format: ExportFormat
    fps: str = DEFAULT_FPS
    start_timecode: str = DEFAULT_START
    markers: MarkerChoice = MarkerChoice.NONE  # the song's beats or bars as markers


@define
class ExportTimelineHandler:
    reader: ProjectBoardReader
    exporter: TimelineExporter
    analyses: MusicAnalysisStore | None = None

    async def __call__(self, cmd: ExportTimeline) -> ExportedFile:
        rate = frame_rate(cmd.fps)
        start = parse_timecode(cmd.start_timecode, rate)
        board = await self.reader.board(cmd.project_id)
        if board is None:
            raise NotFound("Project", cmd.project_id)
        rhythm = await self._rhythm(board.project, cmd.markers)
        return await self.exporter.export(board, ExportOptions(cmd.format, rate, start, rhythm=rhythm))

    async def _rhythm(self, project: Project, choice: MarkerChoice) -> RhythmMarkers | None:
        """The song's beats or bars; a Conflict saying why when the song is not analysed."""
        if choice.unit is None or self.analyses is None:
            return None
        grid = await ready_grid(self.analyses, project)
        return RhythmMarkers(choice.unit, grid.times(choice.unit))
