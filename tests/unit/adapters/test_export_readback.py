"""Every export of a random board reads back through OpenTimelineIO's own adapters with the same cuts."""

import json
from fractions import Fraction
from pathlib import Path

import jsonschema
import opentimelineio as otio
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from adapters.export.edl import one_line
from adapters.export.exporter import OtioTimelineExporter
from adapters.export.json_format import TIMELINE_JSON_SCHEMA
from adapters.export.timeline_builder import TimelineBuilder
from adapters.export.timeline_view import TimelineView, view_of
from adapters.export.xml_document import xml_safe
from application.ports.timeline_exporter import ExportFormat, ExportOptions
from domain.timecode import FrameRate, parse_timecode
from tests.unit.adapters.board_strategies import boards, media_url, rates

DTD = etree.DTD(str(Path(__file__).parents[2] / "fixtures" / "FCPXMLv1_10.dtd"))
READBACK = settings(max_examples=60, deadline=None)
starts = st.sampled_from(["00:00:00:00", "01:00:00:00", "10:59:59:00"])
TIME_ATTRIBUTES = ("offset", "start", "duration", "tcStart")
FRAME_DURATIONS = {"23.976": "1001/24000s", "24": "1/24s", "25": "1/25s", "29.97": "1001/30000s", "30": "1/30s"}


def exported(board, rate: FrameRate, fmt: ExportFormat, start: str = "01:00:00:00") -> tuple[TimelineView, str]:
    frame = parse_timecode(start, rate)
    view = view_of(TimelineBuilder(rate, media_url).build(board, start_frame=frame))
    file = OtioTimelineExporter(media_url).export_now(board, ExportOptions(fmt, rate, frame))
    return view, file.content.decode()


def clips_of(track) -> list:
    return [item for item in track if isinstance(item, otio.schema.Clip)]


def positions(track) -> list[tuple[int, int]]:
    """(start, duration) in frames of each clip of a track that was read back."""
    found = []
    for index, item in enumerate(track):
        if isinstance(item, otio.schema.Clip):
            placed = track.range_of_child_at_index(index)
            found.append((round(placed.start_time.value), round(placed.duration.value)))
    return found


def seconds(text: str) -> Fraction:
    return Fraction(text.removesuffix("s"))


@READBACK
@given(boards(), rates, starts)
def test_fcpxml_is_valid_1_10_and_reads_back_with_the_same_cuts(board, rate, start):
    view, document = exported(board, rate, ExportFormat.FCPXML, start)
    root = etree.fromstring(document.encode())
    assert DTD.validate(root), DTD.error_log.filter_from_errors()
    assert root.get("version") == "1.10" and root.find("library/event/project/sequence/spine") is not None
    assert root.find("resources/format").get("frameDuration") == FRAME_DURATIONS[rate.label]
    for element in root.iter():
        for name in TIME_ATTRIBUTES:
            if element.get(name) is not None:
                assert (seconds(element.get(name)) / rate.frame_duration).denominator == 1, "on a frame boundary"
    timeline = otio.adapters.read_from_string(document, "fcpx_xml")[0]
    video = [track for track in timeline.tracks if track.name == "0"]
    read = clips_of(video[0]) if video else []
    assert [clip.name for clip in read] == [xml_safe(event.name) for event in view.clips]
    one_frame = 1 / int(rate.fps) + 1e-9  # OTIO's fcpx reader truncates 24000/1001 to 23: its frames, its terms
    for clip, event in zip(read, view.clips, strict=True):
        assert abs(clip.source_range.duration.to_seconds() - float(rate.seconds(event.duration))) <= one_frame
        assert len(clip.markers) == len(event.markers)
    if rate.denominator == 1 and read:  # at NTSC rates the reader's offsets are not in seconds at all
        starts = [start for start, _ in positions(video[0])]
        assert all(abs(got - (view.start_frame + e.record_in)) <= 1 for got, e in zip(starts, view.clips, strict=True))


@READBACK
@given(boards(), rates, starts)
def test_the_edl_reads_back_with_the_same_cuts_and_locators(board, rate, start):
    view, document = exported(board, rate, ExportFormat.EDL, start)
    timeline = otio.adapters.read_from_string(document, "cmx_3600", rate=float(rate.fps))
    video = [track for track in timeline.tracks if track.kind == otio.schema.TrackKind.Video]
    items = [(i, item) for i, item in enumerate(video[0])] if video else []
    black = [item for _, item in items if isinstance(getattr(item, "media_reference", None),
                                                     otio.schema.GeneratorReference)]
    read = [item for _, item in items if isinstance(item, otio.schema.Clip) and item not in black]
    assert [clip.name for clip in read] == [one_line(event.name) or "UNTITLED" for event in view.clips]
    written = [event for event in view.events if event.kind != "gap" or event.markers]
    origin = written[0].record_in if written else 0
    expected = [(event.record_in - origin, event.duration) for event in view.clips]
    assert [pair for pair, item in zip(positions(video[0]), clips_of(video[0])) if item not in black] == expected \
        if video else expected == []
    for clip, event in zip(read, view.clips, strict=True):
        assert len(clip.markers) == len(event.markers)
    audio = [track for track in timeline.tracks if track.kind == otio.schema.TrackKind.Audio]
    assert [clips_of(track)[0].source_range.duration.value for track in audio] == (
        [view.music.duration] * 2 if view.music else [])


@READBACK
@given(boards(), rates, starts)
def test_the_fcp7_xml_reads_back_with_the_same_cuts(board, rate, start):
    view, document = exported(board, rate, ExportFormat.RESOLVE_XML, start)
    timeline = otio.adapters.read_from_string(document, "fcp_xml")
    assert round(timeline.global_start_time.value) == view.start_frame
    video, audio = list(timeline.video_tracks()), list(timeline.audio_tracks())
    read = clips_of(video[0]) if video else []
    assert [clip.name for clip in read] == [xml_safe(event.name) for event in view.clips]
    assert (positions(video[0]) if video else []) == [(e.record_in, e.duration) for e in view.clips]
    for clip, event in zip(read, view.clips, strict=True):
        assert len(clip.markers) == len([m for m in event.markers if m.kind != "scene"])
    assert len(timeline.tracks.markers) == len([m for m in view.markers if m.kind == "scene"])
    music = [clip.source_range.duration.value for track in audio for clip in clips_of(track)]
    assert music == ([view.music.duration] if view.music else [])


@settings(max_examples=40, deadline=None)
@given(boards(), rates, st.sampled_from([ExportFormat.OTIO, ExportFormat.RESOLVE]))
def test_the_otio_files_read_back_as_the_very_timeline(board, rate, fmt):
    _, document = exported(board, rate, fmt)
    timeline = TimelineBuilder(rate, media_url).build(board, start_frame=parse_timecode("01:00:00:00", rate))
    assert otio.adapters.read_from_string(document, "otio_json").is_equivalent_to(timeline)


@settings(max_examples=60, deadline=None)
@given(boards(), rates, starts)
def test_the_json_export_follows_its_documented_schema(board, rate, start):
    view, document = exported(board, rate, ExportFormat.JSON, start)
    body = json.loads(document)
    jsonschema.validate(body, TIMELINE_JSON_SCHEMA)
    assert [(e["type"], e["record_in"], e["duration"], e["clip_id"]) for e in body["events"]] == [
        (e.kind, e.record_in, e.duration, e.clip_id) for e in view.events]
    assert body["frame_rate"] == {"label": rate.label, "numerator": rate.numerator, "denominator": rate.denominator}
    assert body["start_timecode"] == start and body["duration"] == view.duration
