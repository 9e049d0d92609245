"""Latent nodes: empty image and video latents, image-to-video conditioning, VAE encode and decode."""

import asyncio

from attrs import evolve

from simulators.comfyui.media.rendering import decode_latent
from simulators.comfyui.nodes.interface import NodeContext, NodeImpl, NodeResult
from simulators.comfyui.nodes.values import ClipVisionOutput, Conditioning, ImageBatch, Latent, ModelHandle

# class_type -> (pixels per latent cell, frames per latent frame) of the model family's VAE.
_COMPRESSION = {
    "EmptyLatentImage": (8, 1), "EmptySD3LatentImage": (8, 1), "EmptyHunyuanLatentVideo": (8, 4),
    "EmptyMochiLatentVideo": (8, 6), "EmptyLTXVLatentVideo": (32, 8), "LTXVImgToVideo": (32, 8),
    "WanImageToVideo": (8, 4), "Wan22ImageToVideoLatent": (32, 4),
}


def _latent(class_type: str, width: int, height: int, length: int, batch_size: int) -> Latent:
    spatial, temporal = _COMPRESSION[class_type]
    frames = ((length - 1) // temporal) * temporal + 1
    return Latent(width // spatial * spatial, height // spatial * spatial, batch_size, frames)


async def empty_latent_image(ctx: NodeContext, width: int, height: int, batch_size: int = 1) -> NodeResult:
    """EmptyLatentImage / EmptySD3LatentImage: an image latent."""
    return NodeResult((_latent(ctx.class_type, width, height, 1, batch_size),))


async def empty_latent_video(ctx: NodeContext, width: int, height: int, length: int, batch_size: int) -> NodeResult:
    """Empty*LatentVideo: a video latent with the family's frame count."""
    return NodeResult((_latent(ctx.class_type, width, height, length, batch_size),))


async def wan_image_to_video(ctx: NodeContext, positive: Conditioning, negative: Conditioning, vae: ModelHandle,
                             width: int, height: int, length: int, batch_size: int,
                             clip_vision_output: ClipVisionOutput | None = None,
                             start_image: ImageBatch | None = None) -> NodeResult:
    """WanImageToVideo: a video latent that starts from an optional image."""
    latent = evolve(_latent(ctx.class_type, width, height, length, batch_size), start_image=start_image)
    return NodeResult((positive, negative, latent))


async def wan22_image_to_video_latent(ctx: NodeContext, vae: ModelHandle, width: int, height: int, length: int,
                                     batch_size: int, start_image: ImageBatch | None = None) -> NodeResult:
    """Wan22ImageToVideoLatent: Wan 2.2 5B's video latent, from an optional start image."""
    latent = evolve(_latent(ctx.class_type, width, height, length, batch_size), start_image=start_image)
    return NodeResult((latent,))


async def ltxv_img_to_video(ctx: NodeContext, positive: Conditioning, negative: Conditioning, vae: ModelHandle,
                            image: ImageBatch, width: int, height: int, length: int, batch_size: int,
                            strength: float) -> NodeResult:
    """LTXVImgToVideo: a video latent that starts from an image."""
    latent = evolve(_latent(ctx.class_type, width, height, length, batch_size), start_image=image)
    return NodeResult((positive, negative, latent))


async def vae_decode(ctx: NodeContext, samples: Latent, vae: ModelHandle, **_: int) -> NodeResult:
    """VAEDecode / VAEDecodeTiled: placeholder frames drawn from the latent."""
    return NodeResult((await asyncio.to_thread(decode_latent, samples),))


async def vae_encode(ctx: NodeContext, pixels: ImageBatch, vae: ModelHandle) -> NodeResult:
    """VAEEncode: a latent remembering the pixels it came from."""
    width, height = pixels.size
    return NodeResult((Latent(width // 8 * 8, height // 8 * 8, len(pixels.frames), start_image=pixels),))


NODES = {
    "EmptyLatentImage": NodeImpl(empty_latent_image),
    "EmptySD3LatentImage": NodeImpl(empty_latent_image),
    "EmptyHunyuanLatentVideo": NodeImpl(empty_latent_video),
    "EmptyMochiLatentVideo": NodeImpl(empty_latent_video),
    "EmptyLTXVLatentVideo": NodeImpl(empty_latent_video),
    "WanImageToVideo": NodeImpl(wan_image_to_video),
    "LTXVImgToVideo": NodeImpl(ltxv_img_to_video),
    "Wan22ImageToVideoLatent": NodeImpl(wan22_image_to_video_latent),
    "VAEDecode": NodeImpl(vae_decode),
    "VAEDecodeTiled": NodeImpl(vae_decode),
    "VAEEncode": NodeImpl(vae_encode),
}
