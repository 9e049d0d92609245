"""Encoding an animatic plan with PyAV: H.264 (x264, ultrafast) and AAC in MP4, audio interleaved with picture."""

from collections.abc import Iterator
from pathlib import Path

import av

from adapters.render.animatic_audio import RATE, audio_frames
from adapters.render.animatic_frames import held_frames, video_frames
from adapters.render.animatic_plan import AnimaticPlan
from application.ports.animatic_renderer import Progress

PROGRESS_EVERY = 24  # frames


def _pictures(plan: AnimaticPlan, width: int, height: int) -> Iterator[av.VideoFrame]:
    for segment in plan.segments:
        if segment.kind == "video":
            yield from video_frames(segment, width, height, plan.rate.fps)
        else:
            yield from held_frames(segment, width, height)


def encode(plan: AnimaticPlan, out: Path, *, width: int, height: int, progress: Progress) -> None:
    total = plan.frames
    seconds = plan.rate.seconds(total)
    with av.open(str(out), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=plan.rate.fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "26"}
        audio = container.add_stream("aac", rate=RATE, layout="stereo")
        audio.options = {"aac_coder": "fast"}  # FFmpeg's default (twoloop) costs a fifth of the whole render
        sound = audio_frames(plan.music, round(seconds * RATE))
        heard = 0  # samples encoded so far
        for index, picture in enumerate(_pictures(plan, width, height)):
            picture.pts = index
            picture.time_base = plan.rate.frame_duration
            container.mux(video.encode(picture))
            while heard < (index + 1) * plan.rate.frame_duration * RATE:
                block = next(sound, None)
                if block is None:
                    break
                heard += block.samples
                container.mux(audio.encode(block))
            if index % PROGRESS_EVERY == 0:
                progress(index / total)
        for block in sound:
            container.mux(audio.encode(block))
        container.mux(video.encode(None))
        container.mux(audio.encode(None))
    progress(1.0)
