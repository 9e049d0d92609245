"""Settings of one simulated ComfyUI server: protocol version, directories, speed, models, previews, failures."""

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from attrs import field, frozen, validators

FAILURE_MODES = ("refuse", "drop_response", "runtime_error", "crash", "drop_socket", "hang")
LEGACY_VERSION = "0.3.64"  # the release recorded in shared/comfyui-protocol.md
CURRENT_VERSION = "0.38.1"  # upstream comfyui_version.py, late 2026
PREVIEW_METHODS = ("auto", "latent2rgb", "taesd", "none")

DEFAULT_MODELS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "checkpoints": (
        "sd_xl_base_1.0.safetensors",
        "v1-5-pruned-emaonly-fp16.safetensors",
        "sd3.5_large_fp8_scaled.safetensors",
        "flux1-dev-fp8.safetensors",
        "flux1-schnell-fp8.safetensors",
        "ltx-video-2b-v0.9.5.safetensors",
    ),
    "loras": ("character_lora.safetensors", "style_lora.safetensors"),
    "vae": ("ae.safetensors", "sdxl_vae.safetensors", "wan_2.1_vae.safetensors", "wan2.2_vae.safetensors",
            "qwen_image_vae.safetensors", "hunyuan_video_vae_bf16.safetensors", "mochi_vae.safetensors"),
    "diffusion_models": (
        "flux1-dev.safetensors",
        "flux1-schnell.safetensors",
        "qwen_image_fp8_e4m3fn.safetensors",
        "hidream_i1_dev_fp8.safetensors",
        "hidream_i1_full_fp16.safetensors",
        "wan2.2_ti2v_5B_fp16.safetensors",
        "mochi_preview_bf16.safetensors",
        "wan2.1_t2v_1.3B_fp16.safetensors",
        "wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors",
        "hunyuan_video_t2v_720p_bf16.safetensors",
        "mochi_preview_fp8_scaled.safetensors",
        "cogvideox_5b.safetensors",
    ),
    "text_encoders": (
        "clip_l.safetensors",
        "clip_g.safetensors",
        "t5xxl_fp8_e4m3fn.safetensors",
        "t5xxl_fp16.safetensors",
        "umt5_xxl_fp8_e4m3fn_scaled.safetensors",
        "qwen_2.5_vl_7b_fp8_scaled.safetensors",
        "llava_llama3_fp8_scaled.safetensors",
        "llama_3.1_8b_instruct_fp8_scaled.safetensors",
        "clip_l_hidream.safetensors",
        "clip_g_hidream.safetensors",
        "t5xxl_fp8_e4m3fn_scaled.safetensors",
    ),
    "clip_vision": ("clip_vision_h.safetensors",),
})


def _exit_process() -> None:
    os._exit(3)


def _absolute(value: str | os.PathLike[str]) -> Path:
    return Path(value).resolve()


def _frozen_mapping(value: Mapping) -> Mapping:
    return MappingProxyType(dict(value))


def _check_failures(_instance: object, _attribute: object, value: Mapping[str, int]) -> None:
    unknown = set(value) - set(FAILURE_MODES)
    if unknown:
        raise ValueError(f"unknown failure modes {sorted(unknown)}; known: {', '.join(FAILURE_MODES)}")


@frozen(kw_only=True)
class SimulatorConfig:
    """Everything a simulated ComfyUI needs; the directories live under `root`."""

    root: Path = field(converter=_absolute)
    capacity: int = field(default=1, validator=validators.ge(1))
    latency: float = field(default=0.0, validator=validators.ge(0))
    node_latency: Mapping[str, float] = field(factory=dict, converter=_frozen_mapping)
    model_switch_delay: float = field(default=0.0, validator=validators.ge(0))
    # The real server sends execution_success before it stores the history entry; keep that window open.
    history_delay: float = field(default=0.005, validator=validators.ge(0))
    models: Mapping[str, tuple[str, ...]] = field(default=DEFAULT_MODELS, converter=_frozen_mapping)
    failures: Mapping[str, int] = field(factory=dict, converter=_frozen_mapping, validator=_check_failures)
    crash: Callable[[], None] = _exit_process
    cors_origin: str | None = None
    max_upload_size: int = 100 * 1024 * 1024
    comfyui_version: str = CURRENT_VERSION
    # Like `main.py --preview-method auto` (the real default is none); "none" switches sampler previews off.
    preview_method: str = field(default="auto", validator=validators.in_(PREVIEW_METHODS))
    preview_size: int = field(default=256, validator=validators.ge(1))

    @property
    def legacy(self) -> bool:
        """Whether this server answers like 0.3.64 (no jobs API, ids used as given, no asset ids)."""
        return self.comfyui_version == LEGACY_VERSION

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def input_dir(self) -> Path:
        return self.root / "input"

    @property
    def temp_dir(self) -> Path:
        return self.root / "temp"

    def latency_of(self, class_type: str) -> float:
        """Seconds a node of this class takes to run."""
        return self.node_latency.get(class_type, self.latency)
