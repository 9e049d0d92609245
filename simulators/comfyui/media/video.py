"""Real video files with PyAV, encoded as ComfyUI's SaveVideo (H.264 MP4) and SaveWEBM (VP9/AV1) do."""

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from simulators.comfyui.nodes.values import ImageBatch

WEBM_CODECS = {"vp9": "libvpx-vp9", "av1": "libsvtav1"}


def _even(value: int) -> int:
    return value - value % 2


def _encode(container: Any, stream: Any, batch: ImageBatch, pix_fmt: str) -> None:
    width, height = stream.width, stream.height
    for image in batch.frames:
        frame = av.VideoFrame.from_image(image.crop((0, 0, width, height)))
        for packet in stream.encode(frame.reformat(format=pix_fmt)):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def write_mp4(batch: ImageBatch, path: Path, *, frame_rate: Fraction, metadata: dict[str, Any] | None) -> None:
    """H.264 in MP4 with yuv420p, the metadata as JSON tags; odd sizes are cropped to even ones."""
    with av.open(str(path), mode="w", options={"movflags": "use_metadata_tags"}) as container:
        for key, value in (metadata or {}).items():
            container.metadata[key] = json.dumps(value)
        stream = container.add_stream("h264", rate=Fraction(round(frame_rate * 1000), 1000))
        stream.width, stream.height = _even(batch.size[0]), _even(batch.size[1])
        stream.pix_fmt = "yuv420p"
        _encode(container, stream, batch, "yuv420p")


def write_webm(batch: ImageBatch, path: Path, *, codec: str, fps: float, crf: float, prompt: Any) -> None:
    """VP9 (yuv420p) or AV1 (yuv420p10le) in WebM, with the prompt as a metadata tag."""
    with av.open(str(path), mode="w") as container:
        if prompt is not None:
            container.metadata["prompt"] = json.dumps(prompt)
        stream = container.add_stream(WEBM_CODECS[codec], rate=Fraction(round(fps * 1000), 1000))
        stream.width, stream.height = _even(batch.size[0]), _even(batch.size[1])
        stream.pix_fmt = "yuv420p10le" if codec == "av1" else "yuv420p"
        stream.bit_rate = 0
        stream.options = {"crf": str(crf), **({"preset": "6"} if codec == "av1" else {})}
        _encode(container, stream, batch, stream.pix_fmt)
