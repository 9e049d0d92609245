"""Video workflow builders: Wan 2.2, LTX-Video, HunyuanVideo, Mochi."""

from domain.workflow import Workflow, WorkflowBinding

from adapters.comfyui.presets.graphs import (
    SAMPLER_INPUTS, Node, binding, ksampler, link, node, prompts, split_loaders, video_output,
)

VIDEO_INPUTS = SAMPLER_INPUTS | {"width": "2.width", "height": "2.height", "frames": "2.length", "fps": "20.fps"}


def _decode_and_save(vae: list, fps: float) -> dict[str, Node]:
    return {"6": node("VAEDecode", samples=link("5"), vae=vae), **video_output(link("6"), fps)}


def wan22(*, image_to_video: bool) -> tuple[Workflow, WorkflowBinding]:
    """Wan 2.2 TI2V 5B: text (and optionally a start image) to 24 fps video."""
    latent = node("Wan22ImageToVideoLatent", vae=link("12"), width=1280, height=704, length=121, batch_size=1)
    workflow = {
        **split_loaders("wan2.2_ti2v_5B_fp16.safetensors",
                        node("CLIPLoader", clip_name="umt5_xxl_fp8_e4m3fn_scaled.safetensors", type="wan"),
                        "wan2.2_vae.safetensors"),
        "13": node("ModelSamplingSD3", model=link("10"), shift=8.0),
        "2": latent,
        **prompts(link("11")),
        "5": ksampler(link("13"), link("2"), positive=link("3"), negative=link("4")),
        **_decode_and_save(link("12"), 24.0),
    }
    inputs = VIDEO_INPUTS | {"checkpoint": "10.unet_name"}
    if image_to_video:
        workflow["15"] = node("LoadImage", image="storycanvas_init.png")
        latent["inputs"]["start_image"] = link("15")
        inputs["init_image"] = "15.image"
    return workflow, binding("21", inputs, model=("10", 0), clip=("11", 0))


def ltxv(*, image_to_video: bool) -> tuple[Workflow, WorkflowBinding]:
    """LTX-Video 0.9.x: checkpoint with VAE, T5 text encoder, 8n+1 frames at 24 fps."""
    workflow = {
        "1": node("CheckpointLoaderSimple", ckpt_name="ltx-video-2b-v0.9.5.safetensors"),
        "11": node("CLIPLoader", clip_name="t5xxl_fp16.safetensors", type="ltxv"),
        **prompts(link("11")),
        "16": node("LTXVConditioning", positive=link("3"), negative=link("4"), frame_rate=24.0),
        "2": node("EmptyLTXVLatentVideo", width=768, height=512, length=97, batch_size=1),
        "5": ksampler(link("1"), link("2"), positive=link("16", 0), negative=link("16", 1)),
        **_decode_and_save(link("1", 2), 24.0),
    }
    inputs = VIDEO_INPUTS | {"checkpoint": "1.ckpt_name", "fps": ("20.fps", "16.frame_rate")}
    if image_to_video:
        workflow["15"] = node("LoadImage", image="storycanvas_init.png")
        workflow["2"] = node("LTXVImgToVideo", positive=link("16", 0), negative=link("16", 1), vae=link("1", 2),
                             image=link("15"), width=768, height=512, length=97, batch_size=1, strength=1.0)
        workflow["5"] = ksampler(link("1"), link("2", 2), positive=link("2", 0), negative=link("2", 1))
        inputs["init_image"] = "15.image"
    return workflow, binding("21", inputs, model=("1", 0), clip=("11", 0))


def hunyuan_video() -> tuple[Workflow, WorkflowBinding]:
    """HunyuanVideo 720p: Llava-Llama3 + CLIP-L text encoders, embedded guidance."""
    workflow = {
        **split_loaders("hunyuan_video_t2v_720p_bf16.safetensors",
                        node("DualCLIPLoader", clip_name1="clip_l.safetensors",
                             clip_name2="llava_llama3_fp8_scaled.safetensors", type="hunyuan_video"),
                        "hunyuan_video_vae_bf16.safetensors"),
        "2": node("EmptyHunyuanLatentVideo", width=848, height=480, length=73, batch_size=1),
        **prompts(link("11")),
        "14": node("FluxGuidance", conditioning=link("3"), guidance=6.0),
        "5": ksampler(link("10"), link("2"), positive=link("14"), negative=link("4")),
        **_decode_and_save(link("12"), 24.0),
    }
    return workflow, binding("21", VIDEO_INPUTS | {"checkpoint": "10.unet_name"}, model=("10", 0), clip=("11", 0))


def mochi() -> tuple[Workflow, WorkflowBinding]:
    """Mochi 1 preview: T5 text encoder, 6n+1 frames."""
    workflow = {
        **split_loaders("mochi_preview_bf16.safetensors",
                        node("CLIPLoader", clip_name="t5xxl_fp16.safetensors", type="mochi"),
                        "mochi_vae.safetensors"),
        "2": node("EmptyMochiLatentVideo", width=848, height=480, length=37, batch_size=1),
        **prompts(link("11")),
        "5": ksampler(link("10"), link("2"), positive=link("3"), negative=link("4")),
        **_decode_and_save(link("12"), 24.0),
    }
    return workflow, binding("21", VIDEO_INPUTS | {"checkpoint": "10.unet_name"}, model=("10", 0), clip=("11", 0))
