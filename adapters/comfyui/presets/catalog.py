"""The built-in model presets, each with its workflow, defaults and legal sizes/frames."""

from collections.abc import Callable

from adapters.comfyui.presets import video_graphs
from adapters.comfyui.presets.graphs import checkpoint_image, link, node, split_loader_image
from domain.frames import FrameRule, SizeRule
from domain.generated_content import ContentKind
from domain.model_preset import GenerationDefaults, ModelPreset
from domain.workflow import Workflow, WorkflowBinding

IMAGE, VIDEO = ContentKind.IMAGE, ContentKind.VIDEO
Graph = tuple[Workflow, WorkflowBinding]


def _models(graph: Graph) -> tuple[str, ...]:
    """Model files the workflow loads."""
    names = ("ckpt_name", "unet_name", "vae_name", "clip_name", "clip_name1", "clip_name2", "clip_name3", "clip_name4")
    workflow = graph[0]
    return tuple(sorted({spec["inputs"][n] for spec in workflow.values() for n in names if n in spec["inputs"]}))


def _preset(preset_id: str, name: str, kind: ContentKind, family: str, description: str, build: Callable[[], Graph],
            defaults: GenerationDefaults, size: SizeRule, frames: FrameRule | None = None) -> ModelPreset:
    graph = build()
    return ModelPreset(id=preset_id, name=name, kind=kind, family=family, description=description,
                       workflow=graph[0], binding=graph[1], defaults=defaults, size_rule=size,
                       models=_models(graph), frame_rule=frames)


NEGATIVE = "blurry, low quality, watermark, text"
PRESETS: tuple[ModelPreset, ...] = (
    _preset("sd15", "Stable Diffusion 1.5", IMAGE, "sd1", "Fast 512 px stills",
            lambda: checkpoint_image("v1-5-pruned-emaonly-fp16.safetensors"),
            GenerationDefaults(512, 512, 20, 7.0, "euler", "normal", negative_prompt=NEGATIVE), SizeRule(8, 256, 1024)),
    _preset("sdxl", "Stable Diffusion XL 1.0", IMAGE, "sdxl", "1024 px stills",
            lambda: checkpoint_image("sd_xl_base_1.0.safetensors"),
            GenerationDefaults(1024, 1024, 25, 7.0, "dpmpp_2m", "karras", negative_prompt=NEGATIVE),
            SizeRule(8, 512, 2048)),
    _preset("sd35-large", "Stable Diffusion 3.5 Large", IMAGE, "sd3", "MMDiT, strong prompt following",
            lambda: checkpoint_image("sd3.5_large_fp8_scaled.safetensors", latent_class="EmptySD3LatentImage"),
            GenerationDefaults(1024, 1024, 30, 4.5, "euler", "sgm_uniform", negative_prompt=NEGATIVE),
            SizeRule(16, 512, 2048)),
    _preset("flux-dev", "FLUX.1 dev", IMAGE, "flux", "High quality stills, guidance-distilled",
            lambda: split_loader_image(
                "flux1-dev.safetensors",
                node("DualCLIPLoader", clip_name1="clip_l.safetensors", clip_name2="t5xxl_fp16.safetensors", type="flux"),
                "ae.safetensors", guidance=3.5),
            GenerationDefaults(1024, 1024, 20, 1.0, "euler", "simple"), SizeRule(16, 256, 2048)),
    _preset("flux-schnell", "FLUX.1 schnell", IMAGE, "flux", "Four-step stills",
            lambda: split_loader_image(
                "flux1-schnell.safetensors",
                node("DualCLIPLoader", clip_name1="clip_l.safetensors", clip_name2="t5xxl_fp16.safetensors", type="flux"),
                "ae.safetensors"),
            GenerationDefaults(1024, 1024, 4, 1.0, "euler", "simple"), SizeRule(16, 256, 2048)),
    _preset("qwen-image", "Qwen-Image", IMAGE, "qwen_image", "Stills with legible text",
            lambda: split_loader_image(
                "qwen_image_fp8_e4m3fn.safetensors",
                node("CLIPLoader", clip_name="qwen_2.5_vl_7b_fp8_scaled.safetensors", type="qwen_image"),
                "qwen_image_vae.safetensors", model_patch=node("ModelSamplingAuraFlow", model=link("10"), shift=3.1)),
            GenerationDefaults(1328, 1328, 20, 2.5, "euler", "simple", negative_prompt=NEGATIVE),
            SizeRule(16, 512, 2048)),
    _preset("hidream-i1", "HiDream-I1 Full", IMAGE, "hidream", "Detailed stills, four text encoders",
            lambda: split_loader_image(
                "hidream_i1_full_fp16.safetensors",
                node("QuadrupleCLIPLoader", clip_name1="clip_l_hidream.safetensors",
                     clip_name2="clip_g_hidream.safetensors", clip_name3="t5xxl_fp8_e4m3fn_scaled.safetensors",
                     clip_name4="llama_3.1_8b_instruct_fp8_scaled.safetensors"),
                "ae.safetensors", model_patch=node("ModelSamplingSD3", model=link("10"), shift=3.0)),
            GenerationDefaults(1024, 1024, 50, 5.0, "uni_pc", "simple", negative_prompt=NEGATIVE),
            SizeRule(16, 512, 2048)),
    _preset("wan22-t2v", "Wan 2.2 TI2V 5B (text to video)", VIDEO, "wan", "720p video, 24 fps",
            lambda: video_graphs.wan22(image_to_video=False),
            GenerationDefaults(1280, 704, 30, 5.0, "uni_pc", "simple", 121, 24.0, NEGATIVE),
            SizeRule(32, 256, 1280), FrameRule(4, 1, 5, 121)),
    _preset("wan22-i2v", "Wan 2.2 TI2V 5B (image to video)", VIDEO, "wan", "Animates a start image, 24 fps",
            lambda: video_graphs.wan22(image_to_video=True),
            GenerationDefaults(1280, 704, 30, 5.0, "uni_pc", "simple", 121, 24.0, NEGATIVE),
            SizeRule(32, 256, 1280), FrameRule(4, 1, 5, 121)),
    _preset("ltxv-t2v", "LTX-Video 0.9.5 (text to video)", VIDEO, "ltxv", "Fast video, 8n+1 frames",
            lambda: video_graphs.ltxv(image_to_video=False),
            GenerationDefaults(768, 512, 30, 3.0, "euler", "simple", 97, 24.0, NEGATIVE),
            SizeRule(32, 256, 1280), FrameRule(8, 1, 9, 257)),
    _preset("ltxv-i2v", "LTX-Video 0.9.5 (image to video)", VIDEO, "ltxv", "Animates a start image, 8n+1 frames",
            lambda: video_graphs.ltxv(image_to_video=True),
            GenerationDefaults(768, 512, 30, 3.0, "euler", "simple", 97, 24.0, NEGATIVE),
            SizeRule(32, 256, 1280), FrameRule(8, 1, 9, 257)),
    _preset("hunyuan-video", "HunyuanVideo 720p", VIDEO, "hunyuan_video", "Cinematic video, 4n+1 frames",
            video_graphs.hunyuan_video,
            GenerationDefaults(848, 480, 20, 1.0, "euler", "simple", 73, 24.0),
            SizeRule(16, 256, 1280), FrameRule(4, 1, 5, 129)),
    _preset("mochi", "Mochi 1 preview", VIDEO, "mochi", "Smooth motion, 6n+1 frames",
            video_graphs.mochi,
            GenerationDefaults(848, 480, 30, 4.5, "euler", "simple", 37, 24.0, NEGATIVE),
            SizeRule(16, 256, 1280), FrameRule(6, 1, 7, 163)),
)


class BuiltinPresets:
    """The ModelPresetCatalog port over the built-in presets."""

    def all(self) -> tuple[ModelPreset, ...]:
        return PRESETS

    def get(self, preset_id: str) -> ModelPreset | None:
        return next((preset for preset in PRESETS if preset.id == preset_id), None)
