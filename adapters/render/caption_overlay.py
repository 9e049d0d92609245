"""Burning a caption into yuv420p frames with numpy: the band is drawn once, then blended into each frame's planes."""

import functools
import textwrap

import av
import numpy as np
from attrs import frozen
from PIL import Image, ImageDraw

from adapters.render.frame_painter import font


@frozen(eq=False)
class Overlay:
    top: int  # first row of the band (even)
    luma: np.ndarray  # (rows, width) Y' of the band
    luma_alpha: np.ndarray
    chroma: tuple[np.ndarray, np.ndarray]  # U, V at half size
    chroma_alpha: np.ndarray


def _yuv_of(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BT.601 limited range, as swscale converts RGB to yuv420p."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    return (16 + 0.257 * r + 0.504 * g + 0.098 * b, 128 - 0.148 * r - 0.291 * g + 0.439 * b,
            128 + 0.439 * r - 0.368 * g - 0.071 * b)


@functools.lru_cache(maxsize=64)
def overlay_of(text: str, width: int, height: int) -> Overlay:
    size = max(height // 22, 9)
    lines = textwrap.wrap(text, max(int(width / (size * 0.55)), 10))[:2]
    rows = int(size * 1.4 * len(lines) + size * 0.8) // 2 * 2 + 2
    band = Image.new("RGBA", (width, rows), (0, 0, 0, 150))
    words = Image.new("RGBA", (width, rows), (0, 0, 0, 0))
    draw = ImageDraw.Draw(words)
    for index, line in enumerate(lines):
        draw.text((width // 2, size * 0.4 + index * size * 1.4), line, font=font(size), fill=(255, 255, 255, 255),
                  anchor="ma")
    pixels = np.asarray(Image.alpha_composite(band, words))
    alpha = pixels[..., 3].astype(np.float32) / 255
    y, u, v = _yuv_of(pixels)
    return Overlay(top=height - rows, luma=y, luma_alpha=alpha, chroma=(u[::2, ::2], v[::2, ::2]),
                   chroma_alpha=alpha[::2, ::2])


def _blend(plane: np.ndarray, layer: np.ndarray, alpha: np.ndarray) -> None:
    plane[:] = (plane * (1 - alpha) + layer * alpha).astype(np.uint8)


def burned(frame: av.VideoFrame, text: str) -> av.VideoFrame:
    """A copy of a yuv420p frame (even sizes) with `text` at its bottom."""
    width, height = frame.width, frame.height
    layer = overlay_of(text, width, height)
    pixels = frame.to_ndarray()  # (height * 3 / 2, width): Y, then U and V each as height/4 rows of width
    luma = pixels[:height]
    chroma = pixels[height:].reshape(2, height // 2, width // 2)
    _blend(luma[layer.top:], layer.luma, layer.luma_alpha)
    for plane, values in zip(chroma, layer.chroma, strict=True):
        _blend(plane[layer.top // 2:], values, layer.chroma_alpha)
    return av.VideoFrame.from_ndarray(pixels, format="yuv420p")
