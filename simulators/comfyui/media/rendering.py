"""Placeholder pictures with Pillow, and the image files ComfyUI's save nodes write."""

import hashlib
import json
import textwrap
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from simulators.comfyui.nodes.values import ImageBatch, Latent


def seed_colour(seed: int | None, text: str) -> tuple[int, int, int]:
    """A stable colour for a seed and a prompt text."""
    digest = hashlib.sha256(f"{seed}|{text}".encode()).digest()
    return digest[0], digest[1], digest[2]


def _caption(latent: Latent, frame: int) -> str:
    lines = textwrap.wrap(latent.text or "(no prompt)", width=max(12, latent.width // 9))[:6]
    lines += [f"seed {latent.seed}", latent.model]
    if latent.frames > 1:
        lines.append(f"frame {frame + 1}/{latent.frames}")
    return "\n".join(line for line in lines if line)


def _frame(latent: Latent, frame: int, colour: tuple[int, int, int]) -> Image.Image:
    width, height = latent.width, latent.height
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    if latent.frames > 1:
        x = round((width - 1) * frame / (latent.frames - 1))
        draw.rectangle((x - 2, 0, x + 2, height), fill=(255 - colour[0], 255 - colour[1], 255 - colour[2]))
    ink = (0, 0, 0) if sum(colour) > 382 else (255, 255, 255)
    font = ImageFont.load_default(size=max(8, min(width, height) // 24))
    draw.multiline_text((max(2, width // 32), max(2, height // 32)), _caption(latent, frame), fill=ink, font=font)
    return image


def decode_latent(latent: Latent) -> ImageBatch:
    """The images a VAE would decode: one frame per video frame per batch item."""
    frames = []
    for item in range(latent.batch):
        colour = seed_colour(None if latent.seed is None else latent.seed + item, latent.text)
        start = latent.start_image.frames[0].resize((latent.width, latent.height)) if latent.start_image else None
        for index in range(latent.frames):
            picture = _frame(latent, index, colour)
            frames.append(Image.blend(start, picture, 0.5) if start is not None and index == 0 else picture)
    return ImageBatch(tuple(frames))


def save_png(image: Image.Image, path: Path, *, prompt: Any, extra_pnginfo: Any, compress_level: int) -> None:
    """A PNG with the prompt (and workflow) in text chunks, like SaveImage."""
    info = PngInfo()
    if prompt is not None:
        info.add_text("prompt", json.dumps(prompt))
    for key, value in (extra_pnginfo or {}).items():
        info.add_text(key, json.dumps(value))
    image.save(path, pnginfo=info, compress_level=compress_level)


def save_webp_animation(batch: ImageBatch, path: Path, *, fps: float, lossless: bool, quality: int,
                        method: int, prompt: Any) -> None:
    """An animated WEBP, like SaveAnimatedWEBP (the prompt goes in EXIF 0x0110)."""
    exif = batch.frames[0].getexif()
    if prompt is not None:
        exif[0x0110] = f"prompt:{json.dumps(prompt)}"
    batch.frames[0].save(path, save_all=True, duration=int(1000.0 / fps), append_images=batch.frames[1:],
                         exif=exif, lossless=lossless, quality=quality, method=method)


def save_apng(batch: ImageBatch, path: Path, *, fps: float, compress_level: int, prompt: Any) -> None:
    """An animated PNG, like SaveAnimatedPNG (the prompt goes in a `comf` chunk)."""
    info = PngInfo()
    if prompt is not None:
        info.add(b"comf", b"prompt\0" + json.dumps(prompt).encode("latin-1", "replace"), after_idat=True)
    batch.frames[0].save(path, pnginfo=info, compress_level=compress_level, save_all=True,
                         duration=int(1000.0 / fps), append_images=batch.frames[1:])
