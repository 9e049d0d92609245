"""Every built-in preset is a workflow ComfyUI accepts and runs (node classes, inputs, links, model files)."""

import uuid

import pytest

from adapters.comfyui.presets.catalog import PRESETS
from application.ports.generation_backend import PromptStatus
from domain.generation_plan import Lora, ShotRequest, plan_generation
from domain.recipes import preset_recipe

pytestmark = pytest.mark.simulator_only  # a real CPU-only ComfyUI has no model weights


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
async def test_the_preset_runs_with_a_character_lora(preset, backend, comfyui_url):
    side = max(256, preset.size_rule.legal(preset.size_rule.minimum))  # small renders: the model's smallest legal size
    request = ShotRequest("a neon street at night", 7, {"steps": 2, "width": side, "height": side},
                          clip_length=0.5, loras=(Lora("character_lora.safetensors", 0.8),))
    plan = plan_generation(preset_recipe(preset), request)
    if "init_image" in preset.binding.inputs:
        name = await backend.upload_image(comfyui_url, "storycanvas_init.png", _png())
        for target in preset.binding.inputs["init_image"]:
            plan.workflow[target.node]["inputs"][target.name] = name
    prompt_id = str(uuid.uuid4())
    await backend.submit(comfyui_url, plan.workflow, prompt_id=prompt_id)
    outcome = await backend.follow(comfyui_url, prompt_id, _ignore, timeout=120)
    assert outcome.status is PromptStatus.SUCCEEDED, outcome.error
    assert [o.node_id for o in outcome.outputs] == [preset.binding.output_node]
    if preset.kind.value == "video":
        data = b"".join([c async for c in backend.download(comfyui_url, outcome.outputs[0])])
        assert data[4:8] == b"ftyp"  # a real MP4


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


async def _ignore(_event):
    return None
