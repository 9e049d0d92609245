"""Every built-in preset builds a legal, complete workflow for any clip length and overrides."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.comfyui.presets.catalog import PRESETS
from domain.errors import InvalidValue
from domain.generated_content import ContentKind
from domain.generation_plan import Lora, Recipe, ShotRequest, plan_generation


def recipe(preset) -> Recipe:
    return Recipe(preset.id, preset.kind, preset.workflow, preset.binding, preset.defaults,
                  preset.size_rule, preset.frame_rule)


def test_there_are_at_least_thirteen_presets_with_unique_ids():
    assert len(PRESETS) >= 13
    assert len({p.id for p in PRESETS}) == len(PRESETS)
    assert {p.kind for p in PRESETS} == {ContentKind.IMAGE, ContentKind.VIDEO}


def test_bindings_point_into_their_workflows_and_links_resolve():
    for preset in PRESETS:
        preset.binding.check_against(preset.workflow)
        for spec in preset.workflow.values():
            for value in spec["inputs"].values():
                if isinstance(value, list):
                    assert value[0] in preset.workflow, (preset.id, value)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PRESETS), st.floats(0.05, 120), st.integers(0, 2**53 - 1),
       st.fixed_dictionaries({}, optional={"width": st.integers(1, 5000), "height": st.integers(1, 5000),
                                           "steps": st.integers(1, 200)}),
       st.booleans())
def test_any_clip_length_gives_legal_frames_and_sizes_and_an_out_of_range_size_is_refused(
    preset, seconds, seed, overrides, lora
):
    loras = (Lora("character.safetensors", 0.7),) if lora else ()
    request = ShotRequest("a shot", seed, overrides, clip_length=seconds, loras=loras)
    rule = preset.size_rule
    outside = sorted(name for name in ("width", "height") if not rule.minimum <= overrides.get(name, rule.minimum)
                     <= rule.maximum)
    if outside:  # never clamped: refused, naming the field and the model's limits
        with pytest.raises(InvalidValue) as refused:
            plan_generation(recipe(preset), request)
        assert refused.value.field in {f"params.{name}" for name in outside}
        limits = {f"{rule.minimum} and {rule.maximum}", "64 and at most 2048"}  # the model's, or any model's
        assert any(limit in refused.value.message for limit in limits), refused.value.message
        return
    plan = plan_generation(recipe(preset), request)
    assert preset.size_rule.is_legal(plan.params["width"]) and preset.size_rule.is_legal(plan.params["height"])
    if preset.kind is ContentKind.VIDEO:
        assert preset.frame_rule.is_legal(plan.params["frames"])
        for target in preset.binding.inputs["frames"]:
            assert plan.workflow[target.node]["inputs"][target.name] == plan.params["frames"]
    for target in preset.binding.inputs["seed"]:
        assert plan.workflow[target.node]["inputs"][target.name] == seed
    assert any(spec["class_type"].startswith("LoraLoader") for spec in plan.workflow.values()) == lora
