"""Drawing one sheet page with reportlab: header, panels (picture or prompt placeholder, then text), footer."""

import functools
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from adapters.render.sheet_geometry import FOOTER, HEADER, HEADING, MARGIN, Box, Geometry
from adapters.render.sheet_panels import Panel

FRAME_STROKE = (0.16, 0.16, 0.16)  # tests find panels by this colour
PLACEHOLDER_FILL = (0.93, 0.93, 0.93)
GREY = (0.38, 0.38, 0.38)
MAX_TEXT = 600  # characters of a prompt or lyric considered: a panel shows a few lines at most
PIXELS_PER_POINT = 2.0
ImagePath = Callable[[str], Path | None]


def _lines(text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    lines = simpleSplit(" ".join(text[:MAX_TEXT].split()), font, size, width)
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1].rstrip() + " …"
    return lines


def draw_header(canvas: Canvas, geometry: Geometry, font: str, *, title: str, music: str) -> None:
    top = geometry.page_height - MARGIN
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, 15)
    canvas.drawString(MARGIN, top - 16, _lines(title, font, 15, geometry.page_width * 0.55, 1)[0] if title else "")
    canvas.setFont(font, 8.5)
    canvas.setFillColorRGB(*GREY)
    width = geometry.page_width - 2 * MARGIN
    canvas.drawRightString(MARGIN + width, top - 14, _lines(music, font, 8.5, width * 0.42, 1)[0])
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top - HEADER + 12, MARGIN + width, top - HEADER + 12)


def draw_footer(canvas: Canvas, geometry: Geometry, font: str, *, page: int, pages: int, title: str) -> None:
    canvas.setFont(font, 8)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(MARGIN, MARGIN + FOOTER / 2 - 8, _lines(title, font, 8, geometry.page_width / 2, 1)[0])
    canvas.drawRightString(geometry.page_width - MARGIN, MARGIN + FOOTER / 2 - 8, f"Page {page} of {pages}")


def draw_panel(canvas: Canvas, geometry: Geometry, font: str, cell: Box, panel: Panel, *,
               heading: str | None, picture: ImageReader | None) -> None:
    if heading:
        canvas.setFillColorRGB(0.1, 0.2, 0.45)
        canvas.setFont(font, 8.5)
        canvas.drawString(cell.x, cell.top - HEADING + 3, _lines(heading, font, 8.5, cell.width, 1)[0])
    frame = geometry.frame(cell)
    if picture is not None:
        canvas.drawImage(picture, frame.x, frame.y, frame.width, frame.height, preserveAspectRatio=True,
                         anchor="c")
    else:
        _placeholder(canvas, font, frame, panel.prompt)
    canvas.setStrokeColorRGB(*FRAME_STROKE)
    canvas.setLineWidth(1.2)
    canvas.rect(frame.x, frame.y, frame.width, frame.height, stroke=1, fill=0)
    _captions(canvas, font, Box(cell.x, cell.y, cell.width, frame.y - cell.y - 3), panel)


def _placeholder(canvas: Canvas, font: str, frame: Box, prompt: str) -> None:
    canvas.setFillColorRGB(*PLACEHOLDER_FILL)
    canvas.rect(frame.x, frame.y, frame.width, frame.height, stroke=0, fill=1)
    canvas.setFillColorRGB(*GREY)
    size = 7.0
    limit = max(int((frame.height - 8) // (size + 1.5)), 1)
    lines = _lines(prompt or "(no image yet)", font, size, frame.width - 10, limit)
    y = frame.top - 6 - size
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(frame.x + 5, y, line)
        y -= size + 1.5


def _captions(canvas: Canvas, font: str, area: Box, panel: Panel) -> None:
    """Name, timecode and length, lyrics, prompt: as many lines as fit under the picture."""
    y = area.top
    parts = [(panel.name, 8.5, (0, 0, 0), 2), (f"{panel.timecode}  ·  {panel.length_s:.2f} s", 7.0, GREY, 1)]
    if panel.lyrics:
        parts.append(("Lyrics: " + panel.lyrics, 7.0, (0.1, 0.35, 0.15), 3))
    if panel.prompt:
        parts.append((panel.prompt, 6.5, GREY, 6))
    for text, size, colour, limit in parts:
        room = int((y - area.y) // (size + 1.5))
        if room <= 0:
            return
        canvas.setFont(font, size)
        canvas.setFillColorRGB(*colour)
        for line in _lines(text, font, size, area.width, min(limit, room)):
            y -= size + 1.5
            canvas.drawString(area.x, y, line)


def picture_of(path: Path | None, frame: Box) -> ImageReader | None:
    """The selected image shrunk to about the frame's print size (big takes would bloat the PDF); None if unreadable."""
    if path is None:
        return None
    try:
        stat = path.stat()
        image = _shrunk(str(path), stat.st_mtime_ns, stat.st_size, int(frame.width * PIXELS_PER_POINT),
                        int(frame.height * PIXELS_PER_POINT))
    except OSError:
        return None
    return ImageReader(image) if image is not None else None


@functools.lru_cache(maxsize=200)  # a sheet is drawn again for each page asked as PNG: decode each take once
def _shrunk(path: str, mtime_ns: int, size: int, width: int, height: int) -> Image.Image | None:
    try:
        with Image.open(path) as image:
            image.draft("RGB", (width, height))  # JPEG decodes at a fraction of its size
            factor = max(1, min(image.width // max(width, 1), image.height // max(height, 1)))
            shrunk = image.reduce(factor) if factor > 1 else image.copy()  # a box filter: fast, and enough here
            return shrunk.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
