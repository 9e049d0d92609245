"""StoryCanvas timeline JSON: a stable, documented schema (docs/export-json.md), version 1."""

from typing import Any

import orjson

from adapters.export.timeline_view import Event, Marker, TimelineView
from domain.timecode import timecode

SCHEMA_VERSION = 1
_FRAMES = {"type": "integer", "minimum": 0}
_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"anyOf": [{"type": "string"}, {"type": "null"}]}
MARKER_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["frame", "timecode", "kind", "name"],
    "properties": {"frame": _FRAMES, "timecode": _TEXT, "kind": {"enum": ["scene", "lyrics", "beat", "bar"]}, "name": _TEXT},
}
EVENT_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["type", "name", "clip_id", "scene_id", "record_in", "record_out", "duration", "source_in",
                 "source_out", "record_in_timecode", "record_out_timecode", "media_url", "markers"],
    "properties": {
        "type": {"enum": ["video", "still", "placeholder", "gap"]}, "name": _TEXT, "clip_id": _NULLABLE_TEXT,
        "scene_id": _NULLABLE_TEXT, "record_in": _FRAMES, "record_out": _FRAMES, "duration": _FRAMES,
        "source_in": _FRAMES, "source_out": _FRAMES, "record_in_timecode": _TEXT, "record_out_timecode": _TEXT,
        "media_url": _NULLABLE_TEXT, "markers": {"type": "array", "items": MARKER_SCHEMA},
    },
}
MUSIC_SCHEMA = {
    "anyOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False, "required": ["name", "media_url", "record_in", "duration"],
        "properties": {"name": _TEXT, "media_url": _TEXT, "record_in": _FRAMES, "duration": _FRAMES},
    }],
}
TIMELINE_JSON_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["schema", "version", "project", "frame_rate", "start_frame", "start_timecode", "duration",
                 "events", "music", "markers"],
    "properties": {
        "schema": {"const": "storycanvas.timeline"}, "version": {"const": SCHEMA_VERSION},
        "project": {"type": "object", "additionalProperties": False, "required": ["id", "name"],
                    "properties": {"id": _TEXT, "name": _TEXT}},
        "frame_rate": {"type": "object", "additionalProperties": False,
                       "required": ["label", "numerator", "denominator"],
                       "properties": {"label": {"enum": ["23.976", "24", "25", "29.97", "30"]},
                                      "numerator": {"type": "integer"}, "denominator": {"type": "integer"}}},
        "start_frame": _FRAMES, "start_timecode": _TEXT, "duration": _FRAMES,
        "events": {"type": "array", "items": EVENT_SCHEMA}, "music": MUSIC_SCHEMA,
        "markers": {"type": "array", "items": MARKER_SCHEMA},
    },
}


def write_json(view: TimelineView) -> bytes:
    rate = view.rate
    document = {
        "schema": "storycanvas.timeline", "version": SCHEMA_VERSION,
        "project": {"id": view.project_id, "name": view.name},
        "frame_rate": {"label": rate.label, "numerator": rate.numerator, "denominator": rate.denominator},
        "start_frame": view.start_frame, "start_timecode": timecode(view.start_frame, rate),
        "duration": view.duration, "events": [_event(view, event) for event in view.events],
        "music": None if view.music is None else {"name": view.music.name, "media_url": view.music.url,
                                                  "record_in": 0, "duration": view.music.duration},
        "markers": [_marker(view, marker) for marker in view.markers],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def _event(view: TimelineView, event: Event) -> dict[str, Any]:
    return {
        "type": event.kind, "name": event.name, "clip_id": event.clip_id, "scene_id": event.scene_id,
        "record_in": event.record_in, "record_out": event.record_out, "duration": event.duration,
        "source_in": event.source_in, "source_out": event.source_out,
        "record_in_timecode": timecode(view.start_frame + event.record_in, view.rate),
        "record_out_timecode": timecode(view.start_frame + event.record_out, view.rate),
        "media_url": event.url, "markers": [_marker(view, marker) for marker in event.markers],
    }


def _marker(view: TimelineView, marker: Marker) -> dict[str, Any]:
    return {"frame": marker.frame, "timecode": timecode(view.start_frame + marker.frame, view.rate),
            "kind": marker.kind, "name": marker.name}
