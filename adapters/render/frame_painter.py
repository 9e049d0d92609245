"""Pictures of an animatic's frames with Pillow: stills letterboxed, title cards, burned-in captions."""

import functools
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from adapters.render.fonts import FONT_PATH

BACKGROUND = (18, 18, 22)


@functools.lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def fitted(image: Image.Image, width: int, height: int) -> Image.Image:
    """`image` scaled to fit, centred on black (its shape kept)."""
    return ImageOps.pad(image.convert("RGB"), (width, height), color=(0, 0, 0), method=Image.Resampling.BILINEAR)


def still(path: Path, width: int, height: int) -> Image.Image | None:
    try:
        with Image.open(path) as image:
            image.draft("RGB", (width, height))
            return fitted(image, width, height)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def card(title: str, prompt: str, width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    big, small = font(max(height // 14, 10)), font(max(height // 30, 8))
    draw.text((width // 2, height * 0.36), title[:80], font=big, fill=(240, 240, 240), anchor="mm")
    columns = max(int(width / (small.size * 0.55)), 10)
    lines = textwrap.wrap(" ".join(prompt[:600].split()), columns)[:6]
    y = height * 0.5
    for line in lines:
        draw.text((width // 2, y), line, font=small, fill=(170, 170, 180), anchor="ma")
        y += small.size * 1.35
    return image


def black(width: int, height: int) -> Image.Image:
    return Image.new("RGB", (width, height), (0, 0, 0))


def captioned(image: Image.Image, text: str) -> Image.Image:
    """`text` burned in at the bottom, white on a dark band, wrapped to two lines."""
    image = image.copy()
    width, height = image.size
    size = max(height // 22, 9)
    lines = textwrap.wrap(text, max(int(width / (size * 0.55)), 10))[:2]
    if not lines:
        return image
    draw = ImageDraw.Draw(image, "RGBA")
    band = int(size * 1.4 * len(lines) + size * 0.8)
    draw.rectangle((0, height - band, width, height), fill=(0, 0, 0, 150))
    y = height - band + size * 0.4
    for line in lines:
        draw.text((width // 2, y), line, font=font(size), fill=(255, 255, 255), anchor="ma")
        y += size * 1.4
    return image
