"""Loaders, model patches and conditioning: checkpoints, UNETs, CLIPs, VAEs, LoRAs, text encoding, guidance."""

from simulators.comfyui.nodes.interface import NodeContext, NodeImpl, NodeResult
from simulators.comfyui.nodes.values import ClipVisionOutput, Conditioning, ImageBatch, ModelHandle


async def checkpoint_loader(ctx: NodeContext, ckpt_name: str) -> NodeResult:
    """CheckpointLoaderSimple: MODEL, CLIP and VAE; a new checkpoint costs the switch delay."""
    await ctx.load_model("checkpoints", ckpt_name, switches=True)
    names = (ckpt_name,)
    return NodeResult((ModelHandle("MODEL", names), ModelHandle("CLIP", names), ModelHandle("VAE", names)))


async def unet_loader(ctx: NodeContext, unet_name: str, weight_dtype: str) -> NodeResult:
    """UNETLoader: a diffusion model; a new one costs the switch delay."""
    await ctx.load_model("diffusion_models", unet_name, switches=True)
    return NodeResult((ModelHandle("MODEL", (unet_name,)),))


async def vae_loader(ctx: NodeContext, vae_name: str) -> NodeResult:
    """VAELoader."""
    await ctx.load_model("vae", vae_name)
    return NodeResult((ModelHandle("VAE", (vae_name,)),))


async def _clip(ctx: NodeContext, names: tuple[str, ...]) -> NodeResult:
    for name in names:
        await ctx.load_model("text_encoders", name)
    return NodeResult((ModelHandle("CLIP", names),))


async def clip_loader(ctx: NodeContext, clip_name: str, type: str, device: str = "default") -> NodeResult:
    """CLIPLoader."""
    return await _clip(ctx, (clip_name,))


async def dual_clip_loader(ctx: NodeContext, clip_name1: str, clip_name2: str, type: str,
                           device: str = "default") -> NodeResult:
    """DualCLIPLoader."""
    return await _clip(ctx, (clip_name1, clip_name2))


async def triple_clip_loader(ctx: NodeContext, clip_name1: str, clip_name2: str, clip_name3: str) -> NodeResult:
    """TripleCLIPLoader (a V3 node: its combos are only checked here, at run time)."""
    return await _clip(ctx, (clip_name1, clip_name2, clip_name3))


async def quadruple_clip_loader(ctx: NodeContext, clip_name1: str, clip_name2: str, clip_name3: str,
                                clip_name4: str) -> NodeResult:
    """QuadrupleCLIPLoader (a V3 node: its combos are only checked here, at run time)."""
    return await _clip(ctx, (clip_name1, clip_name2, clip_name3, clip_name4))


async def clip_vision_loader(ctx: NodeContext, clip_name: str) -> NodeResult:
    """CLIPVisionLoader."""
    await ctx.load_model("clip_vision", clip_name)
    return NodeResult((ModelHandle("CLIP_VISION", (clip_name,)),))


async def clip_vision_encode(ctx: NodeContext, clip_vision: ModelHandle, image: ImageBatch, crop: str) -> NodeResult:
    """CLIPVisionEncode."""
    return NodeResult((ClipVisionOutput(image),))


async def lora_loader(ctx: NodeContext, model: ModelHandle, clip: ModelHandle, lora_name: str,
                      strength_model: float, strength_clip: float) -> NodeResult:
    """LoraLoader: patches MODEL and CLIP."""
    await ctx.load_model("loras", lora_name)
    patch = f"lora:{lora_name}:{strength_model}"
    return NodeResult((model.patched(patch), clip.patched(f"lora:{lora_name}:{strength_clip}")))


async def lora_loader_model_only(ctx: NodeContext, model: ModelHandle, lora_name: str,
                                 strength_model: float) -> NodeResult:
    """LoraLoaderModelOnly: patches MODEL."""
    await ctx.load_model("loras", lora_name)
    return NodeResult((model.patched(f"lora:{lora_name}:{strength_model}"),))


async def model_sampling(ctx: NodeContext, model: ModelHandle, shift: float) -> NodeResult:
    """ModelSamplingSD3 / ModelSamplingAuraFlow: a shift patch."""
    return NodeResult((model.patched(f"{ctx.class_type}:{shift}"),))


async def clip_text_encode(ctx: NodeContext, text: str, clip: ModelHandle) -> NodeResult:
    """CLIPTextEncode: conditioning that remembers its text."""
    return NodeResult((Conditioning((text,)),))


async def flux_guidance(ctx: NodeContext, conditioning: Conditioning, guidance: float) -> NodeResult:
    """FluxGuidance."""
    return NodeResult((conditioning.with_extra("guidance", guidance),))


async def ltxv_conditioning(ctx: NodeContext, positive: Conditioning, negative: Conditioning,
                            frame_rate: float) -> NodeResult:
    """LTXVConditioning: both conditionings with the frame rate."""
    return NodeResult((positive.with_extra("frame_rate", frame_rate), negative.with_extra("frame_rate", frame_rate)))


NODES = {
    "CheckpointLoaderSimple": NodeImpl(checkpoint_loader),
    "UNETLoader": NodeImpl(unet_loader),
    "VAELoader": NodeImpl(vae_loader),
    "CLIPLoader": NodeImpl(clip_loader),
    "DualCLIPLoader": NodeImpl(dual_clip_loader),
    "TripleCLIPLoader": NodeImpl(triple_clip_loader),
    "QuadrupleCLIPLoader": NodeImpl(quadruple_clip_loader),
    "CLIPVisionLoader": NodeImpl(clip_vision_loader),
    "CLIPVisionEncode": NodeImpl(clip_vision_encode),
    "LoraLoader": NodeImpl(lora_loader),
    "LoraLoaderModelOnly": NodeImpl(lora_loader_model_only),
    "ModelSamplingSD3": NodeImpl(model_sampling),
    "ModelSamplingAuraFlow": NodeImpl(model_sampling),
    "CLIPTextEncode": NodeImpl(clip_text_encode),
    "FluxGuidance": NodeImpl(flux_guidance),
    "LTXVConditioning": NodeImpl(ltxv_conditioning),
}
