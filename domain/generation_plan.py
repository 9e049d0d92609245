"""Turning a preset (or user workflow) plus a shot's prompt and overrides into a runnable workflow."""

import math
from typing import Any

from attrs import frozen

from domain.errors import InvalidValue
from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.model_preset import GenerationDefaults
from domain.workflow import Workflow, WorkflowBinding, filled, with_lora

OVERRIDABLE: dict[str, tuple[type, ...]] = {
    "width": (int,), "height": (int,), "steps": (int,), "cfg": (int, float), "sampler": (str,),
    "scheduler": (str,), "frames": (int,), "fps": (int, float), "negative_prompt": (str,), "denoise": (int, float),
}
MAX_SEED = 2**53 - 1  # JSON-safe, and within what ComfyUI's KSampler accepts (0..2**64-1)
MAX_STEPS = 200


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


def _checked_overrides(overrides: dict[str, Any]) -> dict[str, Any]:
    for name, value in overrides.items():
        kinds = OVERRIDABLE.get(name)
        if kinds is None:
            raise InvalidValue(f"params.{name}", f"unknown parameter; use {', '.join(OVERRIDABLE)}")
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise InvalidValue(f"params.{name}", f"must be of type {kinds[0].__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidValue(f"params.{name}", "must be finite")
    if not 1 <= overrides.get("steps", 1) <= MAX_STEPS:
        raise InvalidValue("params.steps", f"must be between 1 and {MAX_STEPS}")
    if not 0 <= overrides.get("cfg", 0) <= 100 or not 0 < overrides.get("fps", 1) <= 120:
        raise InvalidValue("params", "cfg must be 0..100 and fps 0..120")
    return overrides


def _frames(recipe: Recipe, request: ShotRequest, fps: float) -> int | None:
    rule = recipe.frame_rule or FrameRule()
    if "frames" in request.overrides:
        return rule.legal(request.overrides["frames"])
    if request.clip_length is not None:
        return rule.for_duration(request.clip_length, fps)
    return recipe.defaults.frames


def resolved_params(recipe: Recipe, request: ShotRequest) -> dict[str, Any]:
    """Defaults, then overrides; sizes and frame counts snapped to what the model accepts."""
    overrides = _checked_overrides(request.overrides)
    if not 0 <= request.seed <= MAX_SEED:
        raise InvalidValue("seed", f"must be between 0 and {MAX_SEED}")
    defaults = recipe.defaults
    params: dict[str, Any] = {
        "steps": defaults.steps, "cfg": defaults.cfg, "sampler": defaults.sampler, "scheduler": defaults.scheduler,
        "negative_prompt": defaults.negative_prompt, **overrides,
        "prompt": request.prompt, "seed": request.seed, "init_image": request.init_image,
        "width": recipe.size_rule.legal(overrides.get("width", defaults.width)),
        "height": recipe.size_rule.legal(overrides.get("height", defaults.height)),
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
