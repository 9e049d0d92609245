"""Samplers (which report progress step by step) and their helpers: schedulers, sampler choice, noise, guiders."""

from typing import Any

from attrs import evolve

from simulators.comfyui.nodes.interface import NodeContext, NodeImpl, NodeResult
from simulators.comfyui.nodes.values import (
    Conditioning, Guider, Latent, ModelHandle, Noise, SamplerChoice, Sigmas,
)


async def _sample(ctx: NodeContext, latent: Latent, *, steps: int, seed: int, model: ModelHandle,
                  positive: Conditioning) -> Latent:
    sampled = evolve(latent, seed=seed, text=positive.text, model=model.label)
    await ctx.sample(steps, sampled)
    return sampled


async def ksampler(ctx: NodeContext, model: ModelHandle, seed: int, steps: int, cfg: float, sampler_name: str,
                   scheduler: str, positive: Conditioning, negative: Conditioning, latent_image: Latent,
                   denoise: float = 1.0) -> NodeResult:
    """KSampler: `steps` progress reports, then the latent carries seed, text and model."""
    return NodeResult((await _sample(ctx, latent_image, steps=steps, seed=seed, model=model, positive=positive),))


async def ksampler_advanced(ctx: NodeContext, model: ModelHandle, add_noise: str, noise_seed: int, steps: int,
                            cfg: float, sampler_name: str, scheduler: str, positive: Conditioning,
                            negative: Conditioning, latent_image: Latent, start_at_step: int, end_at_step: int,
                            return_with_leftover_noise: str) -> NodeResult:
    """KSamplerAdvanced: reports the steps between start_at_step and end_at_step."""
    last = min(end_at_step, steps)
    if start_at_step >= last:
        return NodeResult((latent_image,))
    sampled = await _sample(ctx, latent_image, steps=last - start_at_step, seed=noise_seed, model=model,
                            positive=positive)
    return NodeResult((sampled,))


async def sampler_custom(ctx: NodeContext, model: ModelHandle, add_noise: bool, noise_seed: int, cfg: float,
                         positive: Conditioning, negative: Conditioning, sampler: SamplerChoice, sigmas: Sigmas,
                         latent_image: Latent) -> NodeResult:
    """SamplerCustom: one report per sigma step."""
    sampled = await _sample(ctx, latent_image, steps=sigmas.steps, seed=noise_seed, model=model, positive=positive)
    return NodeResult((sampled, sampled))


async def sampler_custom_advanced(ctx: NodeContext, noise: Noise, guider: Guider, sampler: SamplerChoice,
                                  sigmas: Sigmas, latent_image: Latent) -> NodeResult:
    """SamplerCustomAdvanced: one report per sigma step."""
    sampled = await _sample(ctx, latent_image, steps=sigmas.steps, seed=noise.seed, model=guider.model,
                            positive=guider.positive)
    return NodeResult((sampled, sampled))


async def ksampler_select(ctx: NodeContext, sampler_name: str) -> NodeResult:
    """KSamplerSelect."""
    return NodeResult((SamplerChoice(sampler_name),))


async def basic_scheduler(ctx: NodeContext, model: ModelHandle, scheduler: str, steps: int,
                          denoise: float) -> NodeResult:
    """BasicScheduler: `steps` sigmas (none when denoise is 0)."""
    return NodeResult((Sigmas(steps if denoise > 0 else 0),))


async def ltxv_scheduler(ctx: NodeContext, steps: int, **_: Any) -> NodeResult:
    """LTXVScheduler: `steps` sigmas."""
    return NodeResult((Sigmas(steps),))


async def random_noise(ctx: NodeContext, noise_seed: int) -> NodeResult:
    """RandomNoise."""
    return NodeResult((Noise(noise_seed),))


async def basic_guider(ctx: NodeContext, model: ModelHandle, conditioning: Conditioning) -> NodeResult:
    """BasicGuider."""
    return NodeResult((Guider(model, conditioning),))


async def cfg_guider(ctx: NodeContext, model: ModelHandle, positive: Conditioning, negative: Conditioning,
                     cfg: float) -> NodeResult:
    """CFGGuider."""
    return NodeResult((Guider(model, positive, negative),))


NODES = {
    "KSampler": NodeImpl(ksampler, paced=True),
    "KSamplerAdvanced": NodeImpl(ksampler_advanced, paced=True),
    "SamplerCustom": NodeImpl(sampler_custom, paced=True),
    "SamplerCustomAdvanced": NodeImpl(sampler_custom_advanced, paced=True),
    "KSamplerSelect": NodeImpl(ksampler_select),
    "BasicScheduler": NodeImpl(basic_scheduler),
    "LTXVScheduler": NodeImpl(ltxv_scheduler),
    "RandomNoise": NodeImpl(random_noise),
    "BasicGuider": NodeImpl(basic_guider),
    "CFGGuider": NodeImpl(cfg_guider),
}
