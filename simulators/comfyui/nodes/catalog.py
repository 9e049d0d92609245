"""The node classes the simulator knows, with their real /object_info entries and live combo lists."""

import copy
import json
import mimetypes
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import frozen

from simulators.comfyui.nodes.current_info import with_current_keys

MODEL_INPUTS: Mapping[str, Mapping[str, str]] = {
    "CheckpointLoaderSimple": {"ckpt_name": "checkpoints"},
    "LoraLoader": {"lora_name": "loras"},
    "LoraLoaderModelOnly": {"lora_name": "loras"},
    "VAELoader": {"vae_name": "vae"},
    "UNETLoader": {"unet_name": "diffusion_models"},
    "CLIPLoader": {"clip_name": "text_encoders"},
    "DualCLIPLoader": {"clip_name1": "text_encoders", "clip_name2": "text_encoders"},
    "TripleCLIPLoader": {f"clip_name{i}": "text_encoders" for i in range(1, 4)},
    "QuadrupleCLIPLoader": {f"clip_name{i}": "text_encoders" for i in range(1, 5)},
    "CLIPVisionLoader": {"clip_name": "clip_vision"},
}
# The folder list GET /models answers, in the real server's order.
MODEL_FOLDERS = (
    "checkpoints", "configs", "loras", "vae", "text_encoders", "diffusion_models", "clip_vision",
    "style_models", "embeddings", "diffusers", "vae_approx", "controlnet", "gligen", "upscale_models",
    "custom_nodes", "hypernetworks", "photomaker", "classifiers", "model_patches", "audio_encoders",
)
_EXTRA_CHOICES = {"VAELoader": ["pixel_space"]}


def _load_nodes() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("node_catalog.json").read_text(encoding="utf-8")
    return json.loads(text)["nodes"]


def input_images(input_dir: Path) -> list[str]:
    """Image files at the top of input/, sorted, as LoadImage lists them."""
    if not input_dir.is_dir():
        return []
    names = [p.name for p in input_dir.iterdir() if p.is_file()]
    return sorted(n for n in names if (mimetypes.guess_type(n, strict=False)[0] or "").startswith("image/"))


def _set_choices(spec: list, choices: list[str]) -> None:
    if spec[0] == "COMBO":
        spec[1]["options"] = choices
    else:
        spec[0] = choices


def _find_input(info: dict[str, Any], name: str) -> list:
    inputs = info["input"]
    return inputs.get("required", {}).get(name) or inputs["optional"][name]


@frozen
class NodeCatalog:
    """Node definitions as GET /object_info shows them, with the configured models and input files."""

    models: Mapping[str, tuple[str, ...]]
    input_dir: Path
    current: bool = False  # today's server, whose entries carry more keys than 0.3.64's
    nodes: Mapping[str, dict[str, Any]] = _load_nodes()

    def __contains__(self, class_type: object) -> bool:
        return class_type in self.nodes

    def info(self, class_type: str) -> dict[str, Any]:
        """One node's /object_info entry with its combo lists filled in."""
        info = copy.deepcopy(self.nodes[class_type])
        for name, folder in MODEL_INPUTS.get(class_type, {}).items():
            choices = sorted(self.models.get(folder, ())) + _EXTRA_CHOICES.get(class_type, [])
            _set_choices(_find_input(info, name), choices)
        if class_type == "LoadImage":
            _set_choices(_find_input(info, "image"), input_images(self.input_dir))
        return with_current_keys(info) if self.current else info

    def object_info(self) -> dict[str, dict[str, Any]]:
        """Every node's entry, as GET /object_info answers."""
        return {name: self.info(name) for name in self.nodes}

    def input_types(self, class_type: str) -> dict[str, dict[str, Any]]:
        """The `input` part of a node's entry: required, optional and hidden inputs."""
        return self.info(class_type)["input"]

    def return_types(self, class_type: str) -> tuple[Any, ...]:
        """The types of a node's outputs (a tuple, as RETURN_TYPES is)."""
        return tuple(self.nodes[class_type]["output"])

    def is_output(self, class_type: str) -> bool:
        """Whether a node of this class is an output node."""
        return bool(self.nodes[class_type]["output_node"])

    def model_folder(self, class_type: str, input_name: str) -> str | None:
        """The model folder a loader's input picks from, if it is a model choice."""
        return MODEL_INPUTS.get(class_type, {}).get(input_name)


def input_info(input_types: dict[str, dict[str, Any]], name: str) -> tuple[Any, str | None, dict[str, Any]]:
    """(type, category, options) of an input, like ComfyUI's get_input_info; (None, None, {}) when unknown."""
    for category in ("required", "optional", "hidden"):
        spec = input_types.get(category, {}).get(name)
        if spec is not None:
            spec = [spec] if isinstance(spec, str) else spec
            return spec[0], category, (spec[1] if len(spec) > 1 else {})
    return None, None, {}
