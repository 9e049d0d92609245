"""Per-model limits of the generation requests: each preset's kind, sizes and frame counts, as `if`/`then` rules.

The server checks a request's `params` against the chosen model's SizeRule/FrameRule (domain/frames.py); the
same rules, read from the preset catalog, narrow the document's `params` when `model` names that preset. Other
models (user workflows) keep the general limits.
"""

from typing import Any

from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.model_preset import ModelPreset
from domain.validation import ENTITY_ID

GENERATION_FIELDS = frozenset({"model", "params"})


def _range(rule: SizeRule | FrameRule) -> dict[str, int]:
    return {"minimum": rule.minimum, "maximum": rule.maximum}


def _rule(preset: ModelPreset) -> dict[str, Any]:
    sizes = {"width": _range(preset.size_rule), "height": _range(preset.size_rule)}
    if preset.kind is ContentKind.VIDEO:
        sizes["frames"] = _range(preset.frame_rule or FrameRule())
    return {
        "if": {"required": ["model"], "properties": {"model": {"const": preset.id}}},
        "then": {"properties": {"kind": {"enum": [preset.kind.value, None]},
                                "params": {"properties": sizes}}},
    }


def model_rules(presets: tuple[ModelPreset, ...]) -> tuple[tuple[frozenset[str], list[dict[str, Any]]], ...]:
    """For the AttrsPlugin: one rule per preset, on every request body with `model` and `params`."""
    return ((GENERATION_FIELDS, [_rule(preset) for preset in presets]),) if presets else ()


def model_names(presets: tuple[ModelPreset, ...]) -> tuple[tuple[frozenset[str], dict[str, dict[str, Any]]], ...]:
    """For the AttrsPlugin: `model` names a preset or a registered workflow (by its id); any other is not found."""
    if not presets:
        return ()
    return ((GENERATION_FIELDS, {"model": {"anyOf": [
        {"enum": [preset.id for preset in presets]},
        {"pattern": ENTITY_ID, "description": "A registered workflow's id"},
    ]}}),)
