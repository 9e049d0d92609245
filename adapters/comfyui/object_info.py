"""Reading ComfyUI's /object_info: node specs, and the model files its loader nodes offer."""

from typing import Any

from domain.comfyui_server import ModelCatalog
from domain.node_catalog import NodeCatalog, NodeSpec

# ModelCatalog field -> (loader class, input) pairs whose choices list that folder's files
MODEL_INPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "checkpoints": (("CheckpointLoaderSimple", "ckpt_name"),),
    "diffusion_models": (("UNETLoader", "unet_name"),),
    "loras": (("LoraLoader", "lora_name"), ("LoraLoaderModelOnly", "lora_name")),
    "vae": (("VAELoader", "vae_name"),),
    "text_encoders": (("CLIPLoader", "clip_name"), ("DualCLIPLoader", "clip_name1")),
    "clip_vision": (("CLIPVisionLoader", "clip_name"),),
}


def combo_choices(spec: Any) -> list[str]:
    """Choices of a combo input, in either shape: [[choices], {...}] or ["COMBO", {"options": [...]}]."""
    if not isinstance(spec, list) or not spec:
        return []
    if isinstance(spec[0], list):
        return [str(choice) for choice in spec[0]]
    if spec[0] == "COMBO" and len(spec) > 1 and isinstance(spec[1], dict):
        return [str(choice) for choice in spec[1].get("options", [])]
    return []


def _input(object_info: dict[str, Any], class_type: str, name: str) -> Any:
    inputs = object_info.get(class_type, {}).get("input", {})
    return inputs.get("required", {}).get(name) or inputs.get("optional", {}).get(name)


def model_catalog(object_info: dict[str, Any]) -> ModelCatalog:
    folders = {
        folder: tuple(sorted({choice for cls, name in sources for choice in combo_choices(_input(object_info, cls, name))}))
        for folder, sources in MODEL_INPUTS.items()
    }
    return ModelCatalog(**folders)


def node_catalog(object_info: dict[str, Any]) -> NodeCatalog:
    catalog = {}
    for class_type, info in object_info.items():
        inputs = info.get("input", {}) if isinstance(info, dict) else {}
        catalog[class_type] = NodeSpec(
            class_type=class_type,
            required=tuple(inputs.get("required", {})),
            optional=tuple(inputs.get("optional", {})),
            is_output=bool(info.get("output_node", False)) if isinstance(info, dict) else False,
        )
    return catalog
