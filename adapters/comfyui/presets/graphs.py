"""Workflow graph builders shared by the presets (API format: node id -> class_type + inputs)."""

from typing import Any

from domain.workflow import NodeInput, NodeOutput, Workflow, WorkflowBinding

Node = dict[str, Any]
SAMPLER_INPUTS = {"seed": "5.seed", "steps": "5.steps", "cfg": "5.cfg", "sampler": "5.sampler_name",
                  "scheduler": "5.scheduler", "prompt": "3.text", "negative_prompt": "4.text"}


def node(class_type: str, **inputs: Any) -> Node:
    return {"class_type": class_type, "inputs": inputs}


def link(node_id: str, index: int = 0) -> list[Any]:
    return [node_id, index]


def binding(
    output_node: str, inputs: dict[str, str | tuple[str, ...]], *, model: tuple[str, int], clip: tuple[str, int] | None
) -> WorkflowBinding:
    targets = {name: (target,) if isinstance(target, str) else target for name, target in inputs.items()}
    return WorkflowBinding(
        output_node=output_node,
        inputs={name: tuple(NodeInput.parse(t, field=name) for t in ts) for name, ts in targets.items()},
        model_source=NodeOutput(*model),
        clip_source=None if clip is None else NodeOutput(*clip),
    )


def ksampler(model: list[Any], latent: list[Any], *, positive: list[Any], negative: list[Any]) -> Node:
    return node("KSampler", model=model, seed=0, steps=20, cfg=7.0, sampler_name="euler", scheduler="normal",
                positive=positive, negative=negative, latent_image=latent, denoise=1.0)


def prompts(clip: list[Any]) -> dict[str, Node]:
    """Nodes 3 (positive) and 4 (negative)."""
    return {"3": node("CLIPTextEncode", text="", clip=clip), "4": node("CLIPTextEncode", text="", clip=clip)}


def checkpoint_image(checkpoint: str, *, latent_class: str = "EmptyLatentImage") -> tuple[Workflow, WorkflowBinding]:
    """CheckpointLoaderSimple -> prompts -> KSampler -> VAEDecode -> SaveImage (SD 1.5, SDXL, SD 3.5)."""
    workflow = {
        "1": node("CheckpointLoaderSimple", ckpt_name=checkpoint),
        "2": node(latent_class, width=1024, height=1024, batch_size=1),
        **prompts(link("1", 1)),
        "5": ksampler(link("1"), link("2"), positive=link("3"), negative=link("4")),
        "6": node("VAEDecode", samples=link("5"), vae=link("1", 2)),
        "7": node("SaveImage", images=link("6"), filename_prefix="storycanvas"),
    }
    inputs = SAMPLER_INPUTS | {"width": "2.width", "height": "2.height", "checkpoint": "1.ckpt_name"}
    return workflow, binding("7", inputs, model=("1", 0), clip=("1", 1))


def split_loaders(unet: str, text_encoder: Node, vae: str) -> dict[str, Node]:
    """Nodes 10 (UNETLoader: MODEL), 11 (text encoder loader: CLIP), 12 (VAELoader: VAE)."""
    return {
        "10": node("UNETLoader", unet_name=unet, weight_dtype="default"),
        "11": text_encoder,
        "12": node("VAELoader", vae_name=vae),
    }


def split_loader_image(
    unet: str, text_encoder: Node, vae: str, *, model_patch: Node | None = None, guidance: float | None = None
) -> tuple[Workflow, WorkflowBinding]:
    """UNETLoader + text encoder + VAELoader -> KSampler -> SaveImage (Flux, Qwen-Image, HiDream)."""
    workflow = {
        **split_loaders(unet, text_encoder, vae),
        "2": node("EmptySD3LatentImage", width=1024, height=1024, batch_size=1),
        **prompts(link("11")),
        "5": ksampler(link("13") if model_patch else link("10"), link("2"),
                      positive=link("14") if guidance is not None else link("3"), negative=link("4")),
        "6": node("VAEDecode", samples=link("5"), vae=link("12")),
        "7": node("SaveImage", images=link("6"), filename_prefix="storycanvas"),
    }
    if model_patch is not None:
        workflow["13"] = model_patch
    if guidance is not None:
        workflow["14"] = node("FluxGuidance", conditioning=link("3"), guidance=guidance)
    inputs = SAMPLER_INPUTS | {"width": "2.width", "height": "2.height", "checkpoint": "10.unet_name"}
    return workflow, binding("7", inputs, model=("10", 0), clip=("11", 0))


def video_output(images: list[Any], fps: float) -> dict[str, Node]:
    """Frames -> CreateVideo (node 20) -> SaveVideo (node 21, the output)."""
    return {
        "20": node("CreateVideo", images=images, fps=fps),
        "21": node("SaveVideo", video=link("20"), filename_prefix="storycanvas/video", format="auto", codec="auto"),
    }
