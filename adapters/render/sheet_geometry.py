"""Where things go on a sheet page: margins, header, footer and the panel grid (points, origin bottom left)."""

from attrs import frozen
from reportlab.lib.pagesizes import A4, LETTER

from application.ports.storyboard_renderer import Paper, SheetLayout

PAPER_SIZES = {Paper.A4: A4, Paper.LETTER: LETTER}
MARGIN, HEADER, FOOTER, GAP, HEADING = 28.0, 40.0, 18.0, 10.0, 12.0
FRAME_SHARE = 0.55  # of a cell's height, at most, for the picture


@frozen
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height


@frozen
class Geometry:
    page_width: float
    page_height: float
    layout: SheetLayout
    aspect: float  # the project's frame width / height

    @classmethod
    def of(cls, paper: Paper, layout: SheetLayout, aspect: float) -> "Geometry":
        width, height = PAPER_SIZES[paper]
        return cls(width, height, layout, aspect)

    @property
    def per_page(self) -> int:
        return self.layout.columns * self.layout.rows

    @property
    def cell_width(self) -> float:
        columns = self.layout.columns
        return (self.page_width - 2 * MARGIN - GAP * (columns - 1)) / columns

    @property
    def cell_height(self) -> float:
        rows = self.layout.rows
        return (self.page_height - 2 * MARGIN - HEADER - FOOTER - GAP * (rows - 1)) / rows

    def cell(self, index: int) -> Box:
        """The cell of the `index`-th panel of a page, left to right, top to bottom."""
        row, column = divmod(index, self.layout.columns)
        top = self.page_height - MARGIN - HEADER - row * (self.cell_height + GAP)
        return Box(MARGIN + column * (self.cell_width + GAP), top - self.cell_height, self.cell_width,
                   self.cell_height)

    def frame(self, cell: Box) -> Box:
        """The picture's frame in a cell, under its heading: the project's shape, centred, at most FRAME_SHARE high."""
        height = min(cell.width / self.aspect, cell.height * FRAME_SHARE)
        width = height * self.aspect
        return Box(cell.x + (cell.width - width) / 2, cell.top - HEADING - height, width, height)
