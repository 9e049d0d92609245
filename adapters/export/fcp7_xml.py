"""FCP 7 XML (xmeml 5): the fallback DaVinci Resolve and Premiere Pro import; placeholders as Slug generators."""

from xml.etree import ElementTree as ET

from attrs import define, field

from adapters.export.edl import file_name
from adapters.export.timeline_view import Event, Marker, Music, TimelineView
from adapters.export.xml_document import child, document
from domain.timecode import timecode

WIDTH, HEIGHT = 1920, 1080


@define
class Fcp7Writer:
    view: TimelineView
    files: dict[str, str] = field(factory=dict)  # media URL -> file id, written in full once
    items: int = 0

    def write(self) -> bytes:
        root = ET.Element("xmeml", version="5")
        sequence = child(root, "sequence", id="sequence-1")
        child(sequence, "name", self.view.name)
        child(sequence, "duration", self.view.duration)
        self._rate(sequence)
        self._timecode(sequence)
        media = child(sequence, "media")
        self._video(child(media, "video"))
        self._audio(child(media, "audio"))
        for marker in self.view.markers:
            if marker.kind == "scene":
                self._marker(sequence, marker, marker.frame)
        return document(root, "xmeml")

    def _rate(self, parent: ET.Element) -> None:
        rate = child(parent, "rate")
        child(rate, "timebase", self.view.rate.timebase)
        child(rate, "ntsc", "TRUE" if self.view.rate.ntsc else "FALSE")

    def _timecode(self, parent: ET.Element) -> None:
        element = child(parent, "timecode")
        self._rate(element)
        child(element, "string", timecode(self.view.start_frame, self.view.rate))
        child(element, "frame", self.view.start_frame)
        child(element, "displayformat", "NDF")

    def _video(self, video: ET.Element) -> None:
        characteristics = child(child(video, "format"), "samplecharacteristics")
        self._rate(characteristics)
        child(characteristics, "width", WIDTH)
        child(characteristics, "height", HEIGHT)
        child(characteristics, "pixelaspectratio", "square")
        track = child(video, "track")
        for event in self.view.clips:
            item = self._item(track, event)
            for marker in event.markers:
                if marker.kind != "scene":
                    self._marker(item, marker, event.source_in + marker.frame - event.record_in)

    def _item(self, track: ET.Element, event: Event) -> ET.Element:
        self.items += 1
        tag = "generatoritem" if event.kind == "placeholder" else "clipitem"
        item = child(track, tag, id=f"{tag}-{self.items}")
        child(item, "name", event.name)
        child(item, "duration", max(event.available, event.source_out))
        self._rate(item)
        self._placement(item, event.record_in, event.duration, event.source_in)
        if event.kind == "placeholder":
            self._slug(item)
        else:
            self._file(item, event.url or "", max(event.available, event.source_out), "video")
        return item

    def _placement(self, item: ET.Element, record_in: int, duration: int, source_in: int) -> None:
        child(item, "start", record_in)
        child(item, "end", record_in + duration)
        child(item, "in", source_in)
        child(item, "out", source_in + duration)

    def _slug(self, item: ET.Element) -> None:
        child(item, "enabled", "TRUE")
        effect = child(item, "effect")
        for tag, text in (("name", "Slug"), ("effectid", "Slug"), ("effectcategory", "Matte"),
                          ("effecttype", "generator"), ("mediatype", "video")):
            child(effect, tag, text)

    def _file(self, item: ET.Element, url: str, duration: int, kind: str) -> None:
        if url in self.files:
            child(item, "file", id=self.files[url])
            return
        self.files[url] = f"file-{len(self.files) + 1}"
        file = child(item, "file", id=self.files[url])
        child(file, "name", file_name(url) or "media")
        child(file, "pathurl", url)
        self._rate(file)
        child(file, "duration", duration)
        child(child(file, "media"), kind)

    def _audio(self, audio: ET.Element) -> None:
        music = self.view.music
        if music is None:
            return
        self._music(child(audio, "track"), music)

    def _music(self, track: ET.Element, music: Music) -> None:
        self.items += 1
        item = child(track, "clipitem", id=f"clipitem-{self.items}")
        child(item, "name", music.name)
        child(item, "duration", music.duration)
        self._rate(item)
        self._placement(item, 0, music.duration, 0)
        self._file(item, music.url, music.duration, "audio")
        source = child(item, "sourcetrack")
        child(source, "mediatype", "audio")
        child(source, "trackindex", 1)

    def _marker(self, parent: ET.Element, marker: Marker, frame: int) -> None:
        element = child(parent, "marker")
        child(element, "name", marker.name)
        child(element, "comment", marker.kind)
        child(element, "in", frame)
        child(element, "out", -1)


def write_fcp7_xml(view: TimelineView) -> bytes:
    return Fcp7Writer(view).write()
