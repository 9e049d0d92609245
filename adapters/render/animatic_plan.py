"""What an animatic shows frame by frame: the cut exactly as the exports build it, each piece with its picture."""

from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from adapters.export.timeline_builder import TimelineBuilder
from adapters.export.timeline_view import Event, view_of
from application.ports.project_board_reader import ProjectBoard
from domain.clip import Clip
from domain.generated_content import ContentKind
from domain.timecode import FrameRate

FindFile = Callable[[str], Path | None]  # a stored key -> the file on this machine


@frozen
class Caption:
    start: int  # frames from the start of the segment
    end: int
    text: str


@frozen
class Segment:
    """`frames` frames from `start`: a video (from `source_in`), a still held, a title card, or black."""

    kind: str  # video | still | card | black
    start: int
    frames: int
    path: Path | None = None
    source_in: int = 0
    title: str = ""
    prompt: str = ""
    captions: tuple[Caption, ...] = ()


@frozen
class AnimaticPlan:
    rate: FrameRate
    segments: tuple[Segment, ...]
    music: Path | None

    @property
    def frames(self) -> int:
        return self.segments[-1].start + self.segments[-1].frames if self.segments else 0


def plan_of(board: ProjectBoard, rate: FrameRate, find: FindFile, *, captions: bool) -> AnimaticPlan:
    view = view_of(TimelineBuilder(rate, media_url=lambda key: key).build(board, start_frame=0))
    clips = {clip.id: clip for entry in board.scenes for clip in entry.clips}
    segments = tuple(_segment(event, clips.get(event.clip_id or ""), find, captions) for event in view.events)
    music = board.project.music
    return AnimaticPlan(rate, segments, find(music.key) if music is not None else None)


def _segment(event: Event, clip: Clip | None, find: FindFile, captions: bool) -> Segment:
    if event.kind == "gap" or clip is None:
        return Segment("black", event.record_in, event.duration)
    lyrics = tuple(Caption(marker.frame - event.record_in, event.duration, marker.name)
                   for marker in event.markers if marker.kind == "lyrics") if captions else ()
    video, image = clip.selected(ContentKind.VIDEO), clip.selected(ContentKind.IMAGE)
    video_path = find(video.path) if event.kind == "video" and video is not None and video.path else None
    if video_path is not None:
        return Segment("video", event.record_in, event.duration, video_path, event.source_in, captions=lyrics)
    image_path = find(image.path) if image is not None and image.path else None
    if image_path is not None:
        return Segment("still", event.record_in, event.duration, image_path, captions=lyrics)
    return Segment("card", event.record_in, event.duration, title=clip.name, prompt=clip.image_prompt or
                   clip.video_prompt, captions=lyrics)
