"""FCPXML 1.10 (Final Cut Pro, DaVinci Resolve 18.5+): library/event/project, media-rep assets, exact NTSC times."""

from fractions import Fraction
from xml.etree import ElementTree as ET

from attrs import define, field

from adapters.export.timeline_view import Event, Marker, TimelineView
from adapters.export.xml_document import child, document

VERSION = "1.10"
WIDTH, HEIGHT = 1920, 1080
FORMAT_NAMES = {"23.976": "2398", "24": "24", "25": "25", "29.97": "2997", "30": "30"}
PLACEHOLDER_URL = "file:///storycanvas-placeholders/{}.mov"


def fcp_time(frames: int, frame_duration: Fraction) -> str:
    """A rational number of seconds, exact: 1001/24000s for one 23.976 frame, 5s for 120 frames at 24."""
    seconds = frames * frame_duration
    if seconds.denominator == 1:
        return f"{seconds.numerator}s"
    return f"{seconds.numerator}/{seconds.denominator}s"


@define
class FcpxmlWriter:
    view: TimelineView
    resources: ET.Element = field(init=False)
    assets: dict[str, str] = field(factory=dict, init=False)  # media URL -> asset id

    def __attrs_post_init__(self) -> None:
        self.resources = ET.Element("resources")

    def time(self, frames: int) -> str:
        return fcp_time(frames, self.view.rate.frame_duration)

    def write(self) -> bytes:
        root = ET.Element("fcpxml", version=VERSION)
        root.append(self.resources)
        rate = self.view.rate
        child(self.resources, "format", id="r1", name=f"FFVideoFormat1080p{FORMAT_NAMES[rate.label]}",
              frameDuration=fcp_time(1, rate.frame_duration), width=str(WIDTH), height=str(HEIGHT))
        event = child(child(root, "library"), "event", name=self.view.name)
        project = child(event, "project", name=self.view.name)
        sequence = child(project, "sequence", format="r1", duration=self.time(self.view.duration),
                         tcStart=self.time(self.view.start_frame), tcFormat="NDF", audioLayout="stereo",
                         audioRate="48k")
        self._spine(child(sequence, "spine"))
        return document(root, "fcpxml")

    def _spine(self, spine: ET.Element) -> None:
        items = [self._item(spine, event) for event in self.view.events]
        if self.view.music is not None:
            anchor = items[0] if items else child(spine, "gap", name="Gap", offset=self.time(self.view.start_frame),
                                                  start="0s", duration=self.time(self.view.music.duration))
            self._music(anchor)
        for item, event in zip(items, self.view.events, strict=True):
            for marker in event.markers:
                self._marker(item, event, marker)

    def _item(self, spine: ET.Element, event: Event) -> ET.Element:
        common = dict(name=event.name or "Gap", offset=self.time(self.view.start_frame + event.record_in),
                      start=self.time(event.source_in), duration=self.time(event.duration))
        if event.kind == "gap":
            return child(spine, "gap", **common)
        if event.kind == "still":
            wrapper = child(spine, "clip", **common, format="r1", tcFormat="NDF")
            child(wrapper, "video", ref=self._asset(event), offset=common["start"], start=common["start"],
                  duration=common["duration"])
            return wrapper
        return child(spine, "asset-clip", ref=self._asset(event), **common, format="r1", tcFormat="NDF")

    def _asset(self, event: Event) -> str:
        """One asset per media file; a placeholder is an offline asset named after its clip."""
        url = event.url or PLACEHOLDER_URL.format(event.clip_id or len(self.assets))
        if url not in self.assets:
            self.assets[url] = f"r{len(self.assets) + 2}"
            duration = "0s" if event.kind == "still" else self.time(max(event.available, event.source_out))
            asset = child(self.resources, "asset", id=self.assets[url], name=event.name, start="0s",
                          duration=duration, hasVideo="1", format="r1", videoSources="1")
            child(asset, "media-rep", kind="original-media", src=url)
        return self.assets[url]

    def _music(self, anchor: ET.Element) -> None:
        music = self.view.music
        assert music is not None
        asset_id = f"r{len(self.assets) + 2}"
        self.assets[music.url] = asset_id
        asset = child(self.resources, "asset", id=asset_id, name=music.name, start="0s",
                      duration=self.time(music.duration), hasAudio="1", audioSources="1", audioChannels="2",
                      audioRate="48000")
        child(asset, "media-rep", kind="original-media", src=music.url)
        child(anchor, "asset-clip", ref=asset_id, lane="-1", name=music.name, offset=anchor.get("start", "0s"),
              start="0s", duration=self.time(music.duration), audioRole="music")

    def _marker(self, item: ET.Element, event: Event, marker: Marker) -> None:
        local = event.source_in + marker.frame - event.record_in
        child(item, "marker", start=self.time(local), duration=self.time(1), value=marker.name or marker.kind,
              note=marker.kind)


def write_fcpxml(view: TimelineView) -> bytes:
    return FcpxmlWriter(view).write()
