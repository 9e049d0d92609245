"""A flat, frame-based reading of the OTIO timeline that every document writer shares."""

import bisect
from typing import Any

import opentimelineio as otio
from attrs import evolve, field, frozen

from adapters.export.timeline_builder import metadata
from domain.timecode import RATES, FrameRate, nearest_rate


@frozen
class Marker:
    frame: int  # from the start of the timeline
    name: str
    kind: str  # scene | lyrics


@frozen
class Event:
    """One item of the picture track: a clip (video, still or placeholder) or a gap."""

    kind: str  # video | still | placeholder | gap
    name: str
    record_in: int
    duration: int
    source_in: int = 0
    url: str | None = None
    available: int = 0  # frames the media offers (the source range fits inside)
    clip_id: str | None = None
    scene_id: str | None = None
    markers: tuple[Marker, ...] = ()

    @property
    def record_out(self) -> int:
        return self.record_in + self.duration

    @property
    def source_out(self) -> int:
        return self.source_in + self.duration


@frozen
class Music:
    name: str
    url: str
    duration: int


@frozen
class TimelineView:
    name: str
    project_id: str
    rate: FrameRate
    start_frame: int
    events: tuple[Event, ...]
    music: Music | None
    markers: tuple[Marker, ...] = field(factory=tuple)

    @property
    def duration(self) -> int:
        return self.events[-1].record_out if self.events else 0

    @property
    def clips(self) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.kind != "gap")


def view_of(timeline: otio.schema.Timeline) -> TimelineView:
    info = metadata(timeline)
    rate = RATES.get(info.get("fps", "")) or nearest_rate(timeline.global_start_time.rate)
    video, audio = _tracks(timeline)
    markers = sorted(_timeline_markers(timeline) + _clip_markers(video), key=lambda m: (m.frame, m.kind != "scene"))
    events = _with_markers(_events(video), markers)
    return TimelineView(name=timeline.name, project_id=info.get("project_id", ""), rate=rate,
                        start_frame=round(timeline.global_start_time.value), events=events,
                        music=_music(audio), markers=tuple(markers))


def _tracks(timeline: otio.schema.Timeline) -> tuple[otio.schema.Track | None, otio.schema.Track | None]:
    video = next(iter(timeline.video_tracks()), None)
    audio = next(iter(timeline.audio_tracks()), None)
    return video, audio


def _frames(time: otio.opentime.RationalTime) -> int:
    return round(time.value)


def _events(track: otio.schema.Track | None) -> list[Event]:
    events, position = [], 0
    for item in track or ():
        duration = _frames(item.source_range.duration)
        events.append(_event(item, position, duration))
        position += duration
    return events


def _event(item: Any, position: int, duration: int) -> Event:
    if isinstance(item, otio.schema.Gap):
        return Event(kind="gap", name="", record_in=position, duration=duration)
    info = metadata(item)
    reference = item.media_reference
    url = reference.target_url if isinstance(reference, otio.schema.ExternalReference) else None
    available = reference.available_range.duration if reference.available_range else item.source_range.duration
    return Event(kind=info.get("kind") or _kind_of(reference), name=item.name, record_in=position, duration=duration,
                 source_in=_frames(item.source_range.start_time), url=url, available=_frames(available),
                 clip_id=info.get("clip_id"), scene_id=info.get("scene_id"))


def _kind_of(reference: otio.core.MediaReference) -> str:
    return "video" if isinstance(reference, otio.schema.ExternalReference) else "placeholder"


def _timeline_markers(timeline: otio.schema.Timeline) -> list[Marker]:
    return [_marker(marker, 0) for marker in timeline.tracks.markers]


def _clip_markers(track: otio.schema.Track | None) -> list[Marker]:
    found, position = [], 0
    for item in track or ():
        local_start = _frames(item.source_range.start_time)
        found += [_marker(marker, position - local_start) for marker in item.markers]
        position += _frames(item.source_range.duration)
    return found


def _marker(marker: otio.schema.Marker, offset: int) -> Marker:
    return Marker(frame=offset + _frames(marker.marked_range.start_time), name=marker.name,
                  kind=metadata(marker).get("kind", "lyrics"))


def _with_markers(events: list[Event], markers: list[Marker]) -> tuple[Event, ...]:
    """Each marker goes to the event its frame falls in (the last one if it falls at the very end)."""
    starts = [event.record_in for event in events]
    grouped: dict[int, list[Marker]] = {}
    for marker in markers:
        index = max(bisect.bisect_right(starts, marker.frame) - 1, 0)
        grouped.setdefault(index, []).append(marker)
    return tuple(evolve(event, markers=tuple(grouped.get(index, ()))) for index, event in enumerate(events))


def _music(track: otio.schema.Track | None) -> Music | None:
    clip = next((item for item in track or () if isinstance(item, otio.schema.Clip)), None)
    if clip is None or not isinstance(clip.media_reference, otio.schema.ExternalReference):
        return None
    return Music(name=clip.name, url=clip.media_reference.target_url, duration=_frames(clip.source_range.duration))
