"""The video frames of one segment of an animatic, as yuv420p frames for the encoder."""

from collections.abc import Iterator
from fractions import Fraction

import av
from PIL import Image

from adapters.render import frame_painter
from adapters.render.animatic_plan import Caption, Segment
from adapters.render.caption_overlay import burned

FAST = "FAST_BILINEAR"  # swscale's quickest scaler: an animatic is a draft


def _pieces(segment: Segment) -> list[tuple[int, int, str]]:
    """(from, to, caption text) ranges of the segment where the burned-in text stays the same."""
    cuts = sorted({0, segment.frames, *(min(max(c.start, 0), segment.frames) for c in segment.captions),
                   *(min(max(c.end, 0), segment.frames) for c in segment.captions)})
    return [(a, b, _text_at(segment.captions, a)) for a, b in zip(cuts, cuts[1:]) if b > a]


def _text_at(captions: tuple[Caption, ...], frame: int) -> str:
    return " / ".join(c.text for c in captions if c.start <= frame < c.end)


def _yuv(image: Image.Image) -> av.VideoFrame:
    return av.VideoFrame.from_image(image).reformat(format="yuv420p", interpolation=FAST)


def _base(segment: Segment, width: int, height: int) -> Image.Image:
    if segment.kind == "still" and segment.path is not None:
        picture = frame_painter.still(segment.path, width, height)
        if picture is not None:
            return picture
    if segment.kind in ("card", "still"):
        return frame_painter.card(segment.title, segment.prompt, width, height)
    return frame_painter.black(width, height)


def held_frames(segment: Segment, width: int, height: int) -> Iterator[av.VideoFrame]:
    """One picture per caption state, handed out again for every frame it lasts (the encoder copies nothing)."""
    base = _base(segment, width, height)
    for start, end, text in _pieces(segment):
        frame = _yuv(frame_painter.captioned(base, text) if text else base)
        for _ in range(end - start):
            yield frame


def video_frames(segment: Segment, width: int, height: int, fps: Fraction) -> Iterator[av.VideoFrame]:
    """The source video from `source_in`, one source frame per output frame by time; its last frame held."""
    try:
        source = av.open(str(segment.path))
    except (av.error.FFmpegError, OSError):
        yield from held_frames(Segment("black", segment.start, segment.frames, captions=segment.captions),
                               width, height)
        return
    with source:
        decoded = source.decode(video=0)
        current = next(decoded, None)
        upcoming = next(decoded, None)
        for index in range(segment.frames):
            wanted = float((segment.source_in + index) / fps)
            while upcoming is not None and upcoming.time is not None and upcoming.time <= wanted + 1e-6:
                current, upcoming = upcoming, next(decoded, None)
            yield _picture(current, segment, index, width, height)


def _picture(frame: av.VideoFrame | None, segment: Segment, index: int, width: int,
             height: int) -> av.VideoFrame:
    """The source frame at the animatic's size (letterboxed if its shape differs), its caption burned in."""
    text = _text_at(segment.captions, index)
    if frame is None:
        picture = _yuv(frame_painter.black(width, height))
    elif frame.width * height == frame.height * width:
        picture = frame.reformat(width=width, height=height, format="yuv420p", interpolation=FAST)
    else:
        picture = _yuv(frame_painter.fitted(frame.to_image(), width, height))
    return burned(picture, text) if text else picture
