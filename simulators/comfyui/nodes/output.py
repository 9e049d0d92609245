"""Output nodes that write files: SaveImage, PreviewImage, animations, CreateVideo, SaveVideo and SaveWEBM."""

import asyncio
from fractions import Fraction
from typing import Any

from simulators.comfyui.media.rendering import save_apng, save_png, save_webp_animation
from simulators.comfyui.media.save_path import save_path
from simulators.comfyui.media.video import write_mp4, write_webm
from simulators.comfyui.nodes.interface import NodeContext, NodeImpl, NodeResult
from simulators.comfyui.nodes.values import ImageBatch, Video

_WEBP_METHODS = {"default": 4, "fastest": 0, "slowest": 6}


def _entry(filename: str, subfolder: str, kind: str) -> dict[str, str]:
    return {"filename": filename, "subfolder": subfolder, "type": kind}


def _write_pngs(ctx: NodeContext, images: ImageBatch, prefix: str, kind: str, compress_level: int) -> list[dict]:
    target = save_path(prefix, ctx.directory(kind), *images.size)
    results = []
    for number, frame in enumerate(images.frames):
        name = target.file(target.counter + number, "png", batch_number=number)
        save_png(frame, target.folder / name, prompt=ctx.prompt, extra_pnginfo=ctx.extra_pnginfo,
                 compress_level=compress_level)
        results.append(_entry(name, target.subfolder, kind))
    return results


async def save_image(ctx: NodeContext, images: ImageBatch, filename_prefix: str = "ComfyUI", **_: Any) -> NodeResult:
    """SaveImage: one PNG per batch item in output/."""
    results = await asyncio.to_thread(_write_pngs, ctx, images, filename_prefix, "output", 4)
    return NodeResult(ui={"images": results})


async def preview_image(ctx: NodeContext, images: ImageBatch, **_: Any) -> NodeResult:
    """PreviewImage: PNGs in temp/ named ComfyUI_temp_xxxxx_."""
    prefix = f"ComfyUI_temp_{ctx.temp_suffix}"
    results = await asyncio.to_thread(_write_pngs, ctx, images, prefix, "temp", 1)
    return NodeResult(ui={"images": results})


def _write_webp(ctx: NodeContext, images: ImageBatch, prefix: str, fps: float, lossless: bool, quality: int,
                method: str) -> dict:
    target = save_path(prefix, ctx.config.output_dir, *images.size)
    name = target.file(target.counter, "webp")
    save_webp_animation(images, target.folder / name, fps=fps, lossless=lossless, quality=quality,
                        method=_WEBP_METHODS[method], prompt=ctx.prompt)
    return _entry(name, target.subfolder, "output")


async def save_animated_webp(ctx: NodeContext, images: ImageBatch, fps: float, filename_prefix: str,
                             lossless: bool, quality: int, method: str, **_: Any) -> NodeResult:
    """SaveAnimatedWEBP: one animated WEBP."""
    result = await asyncio.to_thread(_write_webp, ctx, images, filename_prefix, fps, lossless, quality, method)
    return NodeResult(ui={"images": [result], "animated": [len(images.frames) != 1]})


def _write_apng(ctx: NodeContext, images: ImageBatch, prefix: str, fps: float, compress_level: int) -> dict:
    target = save_path(prefix, ctx.config.output_dir, *images.size)
    name = target.file(target.counter, "png")
    save_apng(images, target.folder / name, fps=fps, compress_level=compress_level, prompt=ctx.prompt)
    return _entry(name, target.subfolder, "output")


async def save_animated_png(ctx: NodeContext, images: ImageBatch, fps: float, compress_level: int,
                            filename_prefix: str = "ComfyUI", **_: Any) -> NodeResult:
    """SaveAnimatedPNG: one APNG."""
    result = await asyncio.to_thread(_write_apng, ctx, images, filename_prefix, fps, compress_level)
    return NodeResult(ui={"images": [result], "animated": [True]})


async def create_video(ctx: NodeContext, images: ImageBatch, fps: float, audio: Any = None) -> NodeResult:
    """CreateVideo: frames plus frame rate."""
    return NodeResult((Video(images, Fraction(fps)),))


def _write_video(ctx: NodeContext, video: Video, prefix: str, format: str, codec: str) -> dict:
    if format not in ("auto", "mp4"):
        raise ValueError("Only MP4 format is supported for now")
    if codec not in ("auto", "h264"):
        raise ValueError("Only H264 codec is supported for now")
    target = save_path(prefix, ctx.config.output_dir, *video.images.size)
    name = target.file(target.counter, "mp4")
    metadata = {**(ctx.extra_pnginfo or {}), "prompt": ctx.prompt}
    write_mp4(video.images, target.folder / name, frame_rate=video.frame_rate, metadata=metadata)
    return _entry(name, target.subfolder, "output")


async def save_video(ctx: NodeContext, video: Video, filename_prefix: str, format: str, codec: str,
                     **_: Any) -> NodeResult:
    """SaveVideo: an H.264 MP4."""
    result = await asyncio.to_thread(_write_video, ctx, video, filename_prefix, format, codec)
    return NodeResult(ui={"images": [result], "animated": [True]})


def _write_webm(ctx: NodeContext, images: ImageBatch, prefix: str, codec: str, fps: float, crf: float) -> dict:
    target = save_path(prefix, ctx.config.output_dir, images.size[0], images.size[1])
    name = target.file(target.counter, "webm")
    write_webm(images, target.folder / name, codec=codec, fps=fps, crf=crf, prompt=ctx.prompt)
    return _entry(name, target.subfolder, "output")


async def save_webm(ctx: NodeContext, images: ImageBatch, filename_prefix: str, codec: str, fps: float,
                    crf: float, **_: Any) -> NodeResult:
    """SaveWEBM: a VP9 or AV1 WebM."""
    result = await asyncio.to_thread(_write_webm, ctx, images, filename_prefix, codec, fps, crf)
    return NodeResult(ui={"images": [result], "animated": [True]})


NODES = {
    "SaveImage": NodeImpl(save_image),
    "PreviewImage": NodeImpl(preview_image),
    "SaveAnimatedWEBP": NodeImpl(save_animated_webp),
    "SaveAnimatedPNG": NodeImpl(save_animated_png),
    "CreateVideo": NodeImpl(create_video),
    "SaveVideo": NodeImpl(save_video),
    "SaveWEBM": NodeImpl(save_webm),
}
