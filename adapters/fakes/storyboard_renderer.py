"""A storyboard renderer that paginates like the real one (the same panels, layout-sized pages) and draws nothing:
its sheet is a stub PDF and its pages blank PNGs."""

import io
import math

from attrs import define, field
from PIL import Image

from adapters.render.sheet_panels import panels_of
from application.ports.project_board_reader import ProjectBoard
from application.ports.storyboard_renderer import Sheet, SheetOptions


@define
class PaginatingStoryboardRenderer:
    rendered: list[SheetOptions] = field(factory=list)

    async def sheet(self, board: ProjectBoard, options: SheetOptions) -> Sheet:
        self.rendered.append(options)
        per_page = options.layout.columns * options.layout.rows
        pages = max(1, math.ceil(len(panels_of(board)) / per_page))
        return Sheet(content=b"%PDF-1.4\n% stub sheet\n%%EOF\n", pages=pages, title=board.project.name)

    async def page_png(self, sheet: Sheet, page: int) -> bytes:
        if not 1 <= page <= sheet.pages:
            raise IndexError(f"page {page} of {sheet.pages}")
        out = io.BytesIO()
        Image.new("RGB", (210, 297), "white").save(out, format="PNG")
        return out.getvalue()
