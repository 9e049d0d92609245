"""The `video` variant: H.264 (yuv420p) in MP4 with the index up front, of exactly the asked duration."""

from fractions import Fraction
from pathlib import Path

import av

from simulators.openai_video.media.frame_design import FrameDesign
from simulators.openai_video.media.yuv_frames import FrameWriter


def write_mp4(design: FrameDesign, path: Path, *, fps: int) -> None:
    """Encode `seconds * fps` frames; x264's ultrafast preset keeps a 12 s 1792x1024 clip to a few seconds."""
    writer = FrameWriter(design, fps)
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("h264", rate=Fraction(fps, 1))
        stream.width, stream.height, stream.pix_fmt = writer.width, writer.height, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "stillimage"}
        for index in range(writer.frames()):
            for packet in stream.encode(writer.frame(index)):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
