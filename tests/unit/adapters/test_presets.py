"""Every built-in preset builds a legal, complete workflow for any clip length and overrides."""

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.comfyui.presets.catalog import PRESETS
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
def test_any_clip_length_gives_legal_frames_and_sizes(preset, seconds, seed, overrides, lora):
    loras = (Lora("character.safetensors", 0.7),) if lora else ()
    plan = plan_generation(recipe(preset), ShotRequest("a shot", seed, overrides, clip_length=seconds, loras=loras))
    assert preset.size_rule.is_legal(plan.params["width"]) and preset.size_rule.is_legal(plan.params["height"])
    if preset.kind is ContentKind.VIDEO:
        assert preset.frame_rule.is_legal(plan.params["frames"])
        for target in preset.binding.inputs["frames"]:
            assert plan.workflow[target.node]["inputs"][target.name] == plan.params["frames"]
    for target in preset.binding.inputs["seed"]:
        assert plan.workflow[target.node]["inputs"][target.name] == seed
    assert any(spec["class_type"].startswith("LoraLoader") for spec in plan.workflow.values()) == lora
