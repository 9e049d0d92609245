"""Turning a preset (or user workflow) plus a shot's prompt and overrides into a runnable workflow."""

from typing import Any

from attrs import frozen

from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.model_preset import GenerationDefaults
from domain.validation import Named, Parameters, bounded_text, within
from domain.workflow import Workflow, WorkflowBinding, filled, with_lora

MAX_SEED = 2**53 - 1  # JSON-safe, and within what ComfyUI's KSampler accepts (0..2**64-1)
MAX_STEPS = 200
ANY_SIZE, ANY_FRAMES = SizeRule(), FrameRule()  # a user workflow's rules; every preset's lie within them
# The overrides a request may give, each of one kind under its rule; a model narrows sizes and frame counts.
OVERRIDES = Parameters({
    "width": (int, within(ANY_SIZE.minimum, ANY_SIZE.maximum)),
    "height": (int, within(ANY_SIZE.minimum, ANY_SIZE.maximum)),
    "steps": (int, within(1, MAX_STEPS)),
    "cfg": (float, within(0, 100)),
    "sampler": (str, bounded_text(100)),
    "scheduler": (str, bounded_text(100)),
    "frames": (int, within(ANY_FRAMES.minimum, ANY_FRAMES.maximum)),
    "fps": (float, within(0, 120, exclusive_minimum=True)),
    "negative_prompt": (str, bounded_text(10000, allow_empty=True)),
    "denoise": (float, within(0, 1)),
})
SEED = within(0, MAX_SEED)


@frozen
class Recipe:
    """What a built-in preset and a user workflow both offer to generation."""

    id: str
    kind: ContentKind
    workflow: Workflow
    binding: WorkflowBinding
    defaults: GenerationDefaults
    size_rule: SizeRule = SizeRule()
    frame_rule: FrameRule | None = None


@frozen
class Lora:
    name: str
    strength: float = 1.0


@frozen
class ShotRequest:
    prompt: str
    seed: int
    overrides: dict[str, Any]
    clip_length: float | None = None
    init_image: str | None = None
    loras: tuple[Lora, ...] = ()


@frozen
class GenerationPlan:
    workflow: Workflow
    params: dict[str, Any]  # every value written into the workflow, so the take can be reproduced


def _frames(recipe: Recipe, request: ShotRequest, fps: float) -> int | None:
    rule = recipe.frame_rule or FrameRule()
    if "frames" in request.overrides:
        return rule.checked("params.frames", request.overrides["frames"])
    if request.clip_length is not None:
        return rule.for_duration(request.clip_length, fps)
    return recipe.defaults.frames


def _size(recipe: Recipe, overrides: dict[str, Any], name: str, default: int) -> int:
    if name in overrides:
        return recipe.size_rule.checked(f"params.{name}", overrides[name])
    return recipe.size_rule.legal(default)


def resolved_params(recipe: Recipe, request: ShotRequest) -> dict[str, Any]:
    """Defaults, then overrides; sizes and frame counts out of the model's range are refused, and within it are
    rounded to the nearest legal value (a multiple of 8, 16 or 32; 8n+1 frames...)."""
    overrides = OVERRIDES.normalized(request.overrides)
    OVERRIDES(request, Named("params"), overrides)
    SEED(request, Named("seed"), request.seed)
    defaults = recipe.defaults
    params: dict[str, Any] = {
        "steps": defaults.steps, "cfg": defaults.cfg, "sampler": defaults.sampler, "scheduler": defaults.scheduler,
        "negative_prompt": defaults.negative_prompt, **overrides,
        "prompt": request.prompt, "seed": request.seed, "init_image": request.init_image,
        "width": _size(recipe, overrides, "width", defaults.width),
        "height": _size(recipe, overrides, "height", defaults.height),
    }
    if recipe.kind is ContentKind.VIDEO:
        params["fps"] = overrides.get("fps", defaults.fps or 24.0)
        params["frames"] = _frames(recipe, request, params["fps"])
    return {name: value for name, value in params.items() if value is not None}


def plan_generation(recipe: Recipe, request: ShotRequest) -> GenerationPlan:
    params = resolved_params(recipe, request)
    workflow, binding = recipe.workflow, recipe.binding
    for lora in request.loras:
        workflow, binding = with_lora(workflow, binding, lora=lora.name, strength=lora.strength)
    params["loras"] = [{"name": lora.name, "strength": lora.strength} for lora in request.loras]
    return GenerationPlan(workflow=filled(workflow, binding, params), params=params)
