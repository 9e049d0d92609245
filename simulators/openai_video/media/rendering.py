"""Render one video's three downloadable variants into its own directory (blocking: run it in a thread)."""

from pathlib import Path

from attrs import frozen

from simulators.openai_video.media.frame_design import FrameDesign, backdrop
from simulators.openai_video.media.mp4 import write_mp4
from simulators.openai_video.media.previews import write_spritesheet, write_thumbnail
from simulators.openai_video.videos.video import VideoSpec

# The content types of GET /v1/videos/{id}/content?variant=...
VARIANTS = {"video": ("video.mp4", "video/mp4"), "thumbnail": ("thumbnail.webp", "image/webp"),
            "spritesheet": ("spritesheet.jpg", "image/jpeg")}


@frozen
class RenderRequest:
    """A validated spec, the video id (shown in the caption) and the frame rate."""

    video_id: str
    spec: VideoSpec
    fps: int


def render_variants(request: RenderRequest, directory: Path) -> None:
    """Write video.mp4, thumbnail.webp and spritesheet.jpg under `directory`."""
    width, height = request.spec.dimensions
    caption = f"{request.spec.model} · {request.spec.size} · {request.spec.seconds} s · {request.video_id}"
    design = FrameDesign(backdrop(width, height, prompt=request.spec.prompt, caption=caption,
                                  reference=request.spec.reference), int(request.spec.seconds))
    directory.mkdir(parents=True, exist_ok=True)
    write_mp4(design, directory / VARIANTS["video"][0], fps=request.fps)
    write_thumbnail(design, directory / VARIANTS["thumbnail"][0])
    write_spritesheet(design, directory / VARIANTS["spritesheet"][0])
