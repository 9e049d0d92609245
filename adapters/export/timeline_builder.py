"""One OpenTimelineIO timeline from a board: main clips in scene order, gaps for holes, music, markers."""

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import opentimelineio as otio
from attrs import frozen

from application.ports.project_board_reader import ProjectBoard
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.music import RhythmMarkers, SnapUnit
from domain.scene import Scene
from domain.timecode import FrameRate

META = "storycanvas"
MediaUrl = Callable[[str], str | None]  # a stored media key -> a URL an editor can open


@frozen
class Slot:
    """A main clip placed on the whole-board timeline, in frames from its start."""

    clip: Clip
    record_in: int
    record_out: int


@frozen
class SceneSpan:
    scene: Scene
    record_in: int


def place(board: ProjectBoard, rate: FrameRate) -> tuple[list[Slot], list[SceneSpan]]:
    """Scenes end to end (a scene lasts until its last main clip ends); start and end rounded together."""
    slots, spans, offset = [], [], Fraction(0)
    for entry in board.scenes:
        mains = [clip for clip in entry.clips if not clip.is_alternate]
        if entry.scene.is_alternate or not mains:
            continue
        placed = [slot for slot in (_slot(clip, offset, rate) for clip in mains) if slot.record_out > slot.record_in]
        if placed:  # a scene whose clips all last less than half a frame leaves no trace
            spans.append(SceneSpan(entry.scene, rate.nearest_frame(offset)))
            slots += placed
        offset += max(Fraction(c.end) for c in mains)
    return slots, spans


def _slot(clip: Clip, scene_offset: Fraction, rate: FrameRate) -> Slot:
    """Ends are taken as the board computes them (`clip.end`), so clips it calls adjacent stay adjacent."""
    start, end = scene_offset + Fraction(clip.timeline_position), scene_offset + Fraction(clip.end)
    return Slot(clip, rate.nearest_frame(start), rate.nearest_frame(end))


def rt(frames: int, rate: FrameRate) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(frames, float(rate.fps))


def span(start: int, duration: int, rate: FrameRate) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(rt(start, rate), rt(duration, rate))


def plain(text: str) -> str:
    """Text OTIO can hold: no NUL, no lone surrogates."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def single_line(text: str) -> str:
    return " / ".join(line.strip() for line in plain(text).splitlines() if line.strip())


def media_frames(content: GeneratedContent, rate: FrameRate) -> int | None:
    """Whole timeline frames in a generated video, when its parameters say how long it is."""
    frames, fps = content.params.get("frames"), content.params.get("fps")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < math.inf for v in (frames, fps)):
        return None
    return rate.whole_frames(Fraction(frames) / Fraction(fps)) or None


@frozen
class TimelineBuilder:
    rate: FrameRate
    media_url: MediaUrl

    def build(self, board: ProjectBoard, *, start_frame: int,
              rhythm: RhythmMarkers | None = None) -> otio.schema.Timeline:
        slots, spans = place(board, self.rate)
        timeline = otio.schema.Timeline(name=plain(board.project.name), global_start_time=rt(start_frame, self.rate),
                                        metadata={META: {"project_id": board.project.id, "fps": self.rate.label}})
        timeline.tracks.append(self._video_track(slots))
        timeline.tracks.markers.extend(self._scene_marker(entry) for entry in spans)
        if rhythm is not None:
            end = max((slot.record_out for slot in slots), default=0)
            timeline.tracks.markers.extend(self._rhythm_markers(rhythm, end))
        if board.project.music is not None:
            timeline.tracks.append(self._music_track(board.project.music))
        return timeline

    def _video_track(self, slots: list[Slot]) -> otio.schema.Track:
        track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
        end = 0
        for slot in slots:
            start = max(slot.record_in, end)  # defensive: overlapping data never overlaps in the cut
            clip = self._clip(slot.clip, slot.record_out - start)
            if clip is None:
                continue
            if start > end:
                track.append(otio.schema.Gap(source_range=span(0, start - end, self.rate)))
            track.append(clip)
            end = start + clip.source_range.duration.to_frames()
        return track

    def _clip(self, clip: Clip, frames: int) -> otio.schema.Clip | None:
        """The selected video, else the selected image held, else a placeholder; never zero frames long."""
        kind, reference, frames = self._picture(clip, frames)
        if frames <= 0:
            return None
        item = otio.schema.Clip(name=plain(clip.name), media_reference=reference,
                                source_range=span(0, frames, self.rate),
                                metadata={META: {"clip_id": clip.id, "scene_id": clip.scene_id, "kind": kind}})
        if clip.lyrics and clip.lyrics.strip():
            item.markers.append(self._marker(single_line(clip.lyrics), 0, "lyrics", otio.schema.MarkerColor.GREEN))
        return item

    def _picture(self, clip: Clip, frames: int) -> tuple[str, otio.core.MediaReference, int]:
        video, image = clip.selected(ContentKind.VIDEO), clip.selected(ContentKind.IMAGE)
        if video is not None:
            available = media_frames(video, self.rate) or frames
            return "video", self._reference(video, available), min(frames, available)
        if image is not None:
            return "still", self._reference(image, frames), frames
        placeholder = otio.schema.GeneratorReference(
            name=plain(clip.name), generator_kind="SolidColor", parameters={"color": "black"},
            available_range=span(0, max(frames, 1), self.rate))
        return "placeholder", placeholder, frames

    def _reference(self, content: GeneratedContent, frames: int) -> otio.schema.ExternalReference:
        url = (self.media_url(content.path) if content.path else None) or content.url
        return otio.schema.ExternalReference(target_url=plain(url), available_range=span(0, max(frames, 1), self.rate),
                                             metadata={META: {"content_id": content.id}})

    def _music_track(self, music: MusicTrack) -> otio.schema.Track:
        track = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
        frames = self.rate.whole_frames(music.duration_s)
        if frames > 0:
            reference = otio.schema.ExternalReference(target_url=self.media_url(music.key) or music.url,
                                                      available_range=span(0, frames, self.rate))
            track.append(otio.schema.Clip(name=plain(music.original_name or "Music"), media_reference=reference,
                                          source_range=span(0, frames, self.rate),
                                          metadata={META: {"kind": "music"}}))
        return track

    def _scene_marker(self, entry: SceneSpan) -> otio.schema.Marker:
        return self._marker(single_line(entry.scene.name), entry.record_in, "scene", otio.schema.MarkerColor.BLUE)

    def _rhythm_markers(self, rhythm: RhythmMarkers, end: int) -> list[otio.schema.Marker]:
        """One marker per beat or bar inside the picture (the song starts with the cut), numbered from 1."""
        kind, label = ("beat", "Beat") if rhythm.unit is SnapUnit.BEAT else ("bar", "Bar")
        color = otio.schema.MarkerColor.CYAN if kind == "beat" else otio.schema.MarkerColor.MAGENTA
        frames = [self.rate.nearest_frame(Fraction(time)) for time in rhythm.times]
        return [self._marker(f"{label} {number}", frame, kind, color)
                for number, frame in enumerate(frames, start=1) if 0 <= frame < end]

    def _marker(self, name: str, frame: int, kind: str, color: str) -> otio.schema.Marker:
        return otio.schema.Marker(name=name, marked_range=span(frame, 0, self.rate), color=color,
                                  metadata={META: {"kind": kind}})


def metadata(item: Any) -> dict[str, Any]:
    """StoryCanvas's own metadata on an OTIO object (empty when absent)."""
    value = item.metadata.get(META, {})
    return dict(value) if value is not None else {}
