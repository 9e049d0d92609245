"""What every frame of a placeholder video shows: a backdrop, a marker crossing it, and a clock."""

import hashlib
import textwrap

from attrs import frozen
from PIL import Image, ImageDraw, ImageFont, ImageOps

Box = tuple[int, int, int, int]
MARKER_COLOR = (255, 196, 0)
CLOCK_BACKGROUND = (16, 16, 16)


def _even(value: float) -> int:
    number = int(value)
    return number - number % 2


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _gradient(width: int, height: int, prompt: str) -> Image.Image:
    """A vertical gradient whose two colours come from the prompt, so two prompts look different."""
    digest = hashlib.sha256(prompt.encode()).digest()
    ramp = Image.linear_gradient("L").resize((width, height))
    return ImageOps.colorize(ramp, black=tuple(digest[0:3]), white=tuple(128 + byte // 2 for byte in digest[3:6]))


def _draw_text_block(image: Image.Image, lines: list[str], *, top: int, size: int) -> None:
    draw, font, margin = ImageDraw.Draw(image), _font(size), size
    for index, line in enumerate(lines):
        position = (margin, top + index * int(size * 1.3))
        draw.text(position, line, fill=(255, 255, 255), font=font, stroke_width=max(1, size // 12),
                  stroke_fill=(0, 0, 0))


def backdrop(width: int, height: int, *, prompt: str, caption: str, reference: Image.Image | None) -> Image.Image:
    """The reference image when one was sent, else a gradient; the prompt on top, a caption at the bottom."""
    image = reference.convert("RGB").copy() if reference is not None else _gradient(width, height, prompt)
    size = max(12, min(width, height) // 24)
    columns = max(10, int(width / (size * 0.6)) - 2)
    lines = textwrap.wrap(prompt, columns)[:6] or [""]
    _draw_text_block(image, lines, top=size, size=size)
    _draw_text_block(image, textwrap.wrap(caption, columns)[:2], top=height - 3 * size, size=size)
    return image


@frozen
class FrameDesign:
    """A backdrop and a duration; a marker moves left to right, the clock shows whole seconds."""

    backdrop: Image.Image
    seconds: int

    @property
    def size(self) -> tuple[int, int]:
        return self.backdrop.size

    @property
    def marker_side(self) -> int:
        return max(2, _even(min(self.size) / 8))

    def marker_box(self, t: float) -> Box:
        """The marker's box at `t` seconds; even corners, so the half-size chroma planes line up."""
        width, height = self.size
        side = self.marker_side
        left = _even((width - side) * min(1.0, t / self.seconds))
        top = _even((height - side) / 2)
        return left, top, left + side, top + side

    @property
    def clock_font_size(self) -> int:
        return max(12, min(self.size) // 20)

    def clock_label(self, second: int) -> str:
        """`00:03 / 00:08`."""
        return f"{second // 60:02d}:{second % 60:02d} / {self.seconds // 60:02d}:{self.seconds % 60:02d}"

    @property
    def clock_size(self) -> tuple[int, int]:
        left, top, right, bottom = _font(self.clock_font_size).getbbox(self.clock_label(self.seconds))
        padding = self.clock_font_size // 2
        return _even(right - left + 2 * padding + 1), _even(bottom - top + 2 * padding + 1)

    @property
    def clock_position(self) -> tuple[int, int]:
        """Centred under the marker's path."""
        _, top, _, bottom = self.marker_box(0)
        return _even((self.size[0] - self.clock_size[0]) / 2), _even(bottom + (bottom - top) / 2)

    def clock(self, second: int) -> Image.Image:
        """The clock face for one whole second."""
        face = Image.new("RGB", self.clock_size, CLOCK_BACKGROUND)
        font, padding = _font(self.clock_font_size), self.clock_font_size // 2
        left, top, _, _ = font.getbbox(self.clock_label(second))
        ImageDraw.Draw(face).text((padding - left, padding - top), self.clock_label(second), fill=(255, 255, 255),
                                  font=font)
        return face

    def rgb_frame(self, t: float) -> Image.Image:
        """The frame at `t` seconds as an RGB image (the thumbnail and the spritesheet's tiles)."""
        image = self.backdrop.copy()
        box = self.marker_box(t)
        ImageDraw.Draw(image).rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=MARKER_COLOR)
        image.paste(self.clock(min(int(t), self.seconds)), self.clock_position)
        return image
