"""Model-free image nodes: EmptyImage, LoadImage, ImageScale, ImageBlur, ImageInvert, ImageToMask, MaskToImage."""

import asyncio
import hashlib
import os

from PIL import Image, ImageFilter, ImageOps, ImageSequence

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.input_validation import CustomValidator
from simulators.comfyui.nodes.interface import NodeContext, NodeImpl, NodeResult
from simulators.comfyui.nodes.values import ImageBatch, MaskBatch

_RESAMPLE = {"nearest-exact": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
             "area": Image.Resampling.BOX, "bicubic": Image.Resampling.BICUBIC, "lanczos": Image.Resampling.LANCZOS}
_CHANNELS = ["red", "green", "blue", "alpha"]


async def empty_image(ctx: NodeContext, width: int, height: int, batch_size: int = 1, color: int = 0) -> NodeResult:
    """EmptyImage: a batch of one solid colour (0xRRGGBB)."""
    rgb = ((color >> 16) & 0xFF, (color >> 8) & 0xFF, color & 0xFF)
    frame = Image.new("RGB", (width, height), rgb)
    return NodeResult((ImageBatch((frame,) * batch_size),))


def _image_path(config: SimulatorConfig, name: str) -> str:
    annotated = ((" [output]", config.output_dir), (" [input]", config.input_dir), (" [temp]", config.temp_dir))
    for suffix, folder in annotated:
        if name.endswith(suffix.strip()):
            return os.path.join(folder, name[:-len(suffix)])
    return os.path.join(config.input_dir, name)


def _load_frames(path: str) -> tuple[ImageBatch, MaskBatch]:
    with Image.open(path) as source:
        frames = [ImageOps.exif_transpose(frame) for frame in ImageSequence.Iterator(source)]
        images = tuple(frame.convert("RGB") for frame in frames if frame.size == frames[0].size)
        masks = tuple(ImageOps.invert(f.getchannel("A")) if "A" in f.getbands() else Image.new("L", (64, 64), 0)
                      for f in frames if f.size == frames[0].size)
    return ImageBatch(images), MaskBatch(masks)


async def load_image(ctx: NodeContext, image: str) -> NodeResult:
    """LoadImage: the frames of an input file, with the inverted alpha as mask."""
    return NodeResult(await asyncio.to_thread(_load_frames, _image_path(ctx.config, image)))


def _validate_load_image(config: SimulatorConfig, image: str) -> bool | str:
    return True if os.path.exists(_image_path(config, image)) else f"Invalid image file: {image}"


def _load_image_changed(config: SimulatorConfig, image: str) -> str | None:
    try:
        with open(_image_path(config, image), "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()
    except (OSError, TypeError):
        return None


def _scaled_size(batch: ImageBatch, width: int, height: int) -> tuple[int, int]:
    old_width, old_height = batch.size
    if width == 0:
        width = max(1, round(old_width * height / old_height))
    elif height == 0:
        height = max(1, round(old_height * width / old_width))
    return width, height


def _center_crop(frame: Image.Image, width: int, height: int) -> Image.Image:
    return ImageOps.fit(frame, (width, height), method=Image.Resampling.NEAREST)


async def image_scale(ctx: NodeContext, image: ImageBatch, upscale_method: str, width: int, height: int,
                      crop: str) -> NodeResult:
    """ImageScale: resize (0 keeps the aspect ratio), optionally centre-cropped."""
    if width == 0 and height == 0:
        return NodeResult((image,))
    size = _scaled_size(image, width, height)
    frames = [_center_crop(f, *size) if crop == "center" else f for f in image.frames]
    return NodeResult((ImageBatch(tuple(f.resize(size, _RESAMPLE[upscale_method]) for f in frames)),))


async def image_blur(ctx: NodeContext, image: ImageBatch, blur_radius: int, sigma: float) -> NodeResult:
    """ImageBlur: a Gaussian blur."""
    blur = ImageFilter.GaussianBlur(radius=min(blur_radius, sigma * 3))
    return NodeResult((ImageBatch(tuple(frame.filter(blur) for frame in image.frames)),))


async def image_invert(ctx: NodeContext, image: ImageBatch) -> NodeResult:
    """ImageInvert: 1 - image."""
    return NodeResult((ImageBatch(tuple(ImageOps.invert(frame) for frame in image.frames)),))


async def image_to_mask(ctx: NodeContext, image: ImageBatch, channel: str) -> NodeResult:
    """ImageToMask: one channel; `alpha` of an RGB image fails like the real tensor indexing."""
    index = _CHANNELS.index(channel)
    if index >= 3:
        raise IndexError(f"index {index} is out of bounds for dimension 3 with size 3")
    return NodeResult((MaskBatch(tuple(frame.getchannel(index) for frame in image.frames)),))


async def mask_to_image(ctx: NodeContext, mask: MaskBatch) -> NodeResult:
    """MaskToImage: the mask as grey RGB."""
    return NodeResult((ImageBatch(tuple(frame.convert("RGB") for frame in mask.frames)),))


NODES = {
    "EmptyImage": NodeImpl(empty_image),
    "LoadImage": NodeImpl(load_image, validator=CustomValidator(("image",), _validate_load_image),
                          is_changed=_load_image_changed),
    "ImageScale": NodeImpl(image_scale),
    "ImageBlur": NodeImpl(image_blur),
    "ImageInvert": NodeImpl(image_invert),
    "ImageToMask": NodeImpl(image_to_mask),
    "MaskToImage": NodeImpl(mask_to_image),
}
