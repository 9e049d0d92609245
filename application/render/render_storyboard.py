"""Render a project's board as a storyboard sheet: the PDF, or one of its pages as a PNG."""

from attrs import define, frozen

from application.errors import NotFound
from application.ports.music_analysis_store import MusicAnalysisStore
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.storyboard_renderer import Paper, Sheet, SheetLayout, SheetOptions, StoryboardRenderer
from application.render.song_tempo import tempo_of


@frozen
class RenderStoryboard:
    project_id: str
    layout: SheetLayout = SheetLayout.THREE_BY_FOUR
    paper: Paper = Paper.A4


@frozen
class RenderStoryboardPage:
    project_id: str
    page: int  # 1-based
    layout: SheetLayout = SheetLayout.THREE_BY_FOUR
    paper: Paper = Paper.A4


@frozen
class SheetPage:
    png: bytes
    page: int
    pages: int
    title: str


@define
class RenderStoryboardHandler:
    reader: ProjectBoardReader
    renderer: StoryboardRenderer
    analyses: MusicAnalysisStore | None = None  # the song's tempo, when it was analysed

    async def __call__(self, cmd: RenderStoryboard) -> Sheet:
        board = await self.reader.board(cmd.project_id)
        if board is None:
            raise NotFound("Project", cmd.project_id)
        tempo = await tempo_of(board.project, self.analyses)
        options = SheetOptions(layout=cmd.layout, paper=cmd.paper, tempo_bpm=tempo)
        return await self.renderer.sheet(board, options)


@define
class RenderStoryboardPageHandler:
    sheet: RenderStoryboardHandler

    async def __call__(self, cmd: RenderStoryboardPage) -> SheetPage:
        sheet = await self.sheet(RenderStoryboard(cmd.project_id, cmd.layout, cmd.paper))
        if not 1 <= cmd.page <= sheet.pages:
            raise NotFound("Storyboard page", str(cmd.page))
        png = await self.sheet.renderer.page_png(sheet, cmd.page)
        return SheetPage(png=png, page=cmd.page, pages=sheet.pages, title=sheet.title)
