"""The StoryboardRenderer: reportlab writes the sheet, pypdfium2 rasterises a page; both off the event loop."""

import asyncio
import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pypdfium2
from attrs import frozen
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from adapters.render.fonts import pdf_font
from adapters.render.sheet_drawing import draw_footer, draw_header, draw_panel, picture_of
from adapters.render.sheet_geometry import PAPER_SIZES, Geometry
from adapters.render.sheet_panels import Panel, panels_of
from application.ports.media_store import LocatedFile
from application.ports.project_board_reader import ProjectBoard
from application.ports.storyboard_renderer import Sheet, SheetOptions

PNG_DPI = 110
DECODERS = 4  # Pillow decodes and shrinks takes without the GIL: a few at a time
_pdfium = threading.Lock()  # PDFium is not thread-safe
Locate = Callable[[str], LocatedFile | None]


def music_line(board: ProjectBoard, tempo_bpm: float | None) -> str:
    music = board.project.music
    if music is None:
        return "No music"
    name = music.original_name or "Music"
    tempo = f"{tempo_bpm:.1f} BPM" if tempo_bpm is not None else "tempo not analysed"
    return f"Music: {name}  ·  {music.duration_s:.1f} s  ·  {tempo}"


@frozen
class ReportlabStoryboardRenderer:
    locate: Locate

    async def sheet(self, board: ProjectBoard, options: SheetOptions) -> Sheet:
        return await asyncio.to_thread(self.sheet_now, board, options)

    async def page_png(self, sheet: Sheet, page: int) -> bytes:
        return await asyncio.to_thread(page_png_now, sheet.content, page)

    def sheet_now(self, board: ProjectBoard, options: SheetOptions) -> Sheet:
        font = pdf_font()
        geometry = Geometry.of(options.paper, options.layout, board.project.aspect_ratio.ratio)
        panels = panels_of(board)
        pictures = self._pictures(panels, geometry)
        pages = [list(range(i, min(i + geometry.per_page, len(panels))))
                 for i in range(0, len(panels), geometry.per_page)] or [[]]
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=PAPER_SIZES[options.paper], pageCompression=1)
        title = board.project.name
        canvas.setTitle(title)
        for number, page in enumerate(pages, start=1):
            draw_header(canvas, geometry, font, title=title, music=music_line(board, options.tempo_bpm))
            for index, number_on_board in enumerate(page):
                self._panel(canvas, geometry, font, index, panels[number_on_board], pictures[number_on_board])
            draw_footer(canvas, geometry, font, page=number, pages=len(pages), title=title)
            canvas.showPage()
        canvas.save()
        return Sheet(content=out.getvalue(), pages=len(pages), title=title)

    def _pictures(self, panels: list[Panel], geometry: Geometry) -> list[ImageReader | None]:
        frame = geometry.frame(geometry.cell(0))  # every frame of a layout has one size
        located = [self.locate(panel.image_key) if panel.image_key else None for panel in panels]
        with ThreadPoolExecutor(DECODERS) as pool:
            return list(pool.map(lambda found: picture_of(found.path if found else None, frame), located))

    def _panel(self, canvas: Canvas, geometry: Geometry, font: str, index: int, panel: Panel,
               picture: ImageReader | None) -> None:
        cell = geometry.cell(index)
        heading = panel.scene if panel.scene_starts else (f"{panel.scene} (cont.)" if index == 0 else None)
        draw_panel(canvas, geometry, font, cell, panel, heading=heading, picture=picture)


def page_png_now(pdf: bytes, page: int, dpi: int = PNG_DPI) -> bytes:
    with _pdfium:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[page - 1].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
