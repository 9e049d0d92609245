"""CMX 3600 EDL: one video event per clip, music on AA, markers as LOC comments, reels of at most 8 characters."""

import itertools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

from attrs import define, field

from adapters.export.timeline_view import Event, Marker, TimelineView
from domain.timecode import timecode

REEL_LENGTH = 8
PLACEHOLDER_REEL = "AX"
BLACK_REEL = "BL"
MARKER_COLORS = {"scene": "BLUE", "lyrics": "GREEN", "beat": "CYAN", "bar": "MAGENTA"}


def one_line(text: str) -> str:
    """No line breaks or control characters: a name must not start a line of its own."""
    return " ".join("".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).split())


def ascii_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", one_line(text))
    return " ".join("".join(c for c in decomposed if c.isascii()).split()) or "UNTITLED"


def file_name(url: str | None) -> str:
    return unquote(PurePosixPath(urlparse(url).path).name) if url else ""


@define
class ReelNames:
    """Reel names from media file names: upper-case letters, digits and _, at most 8, unique per file."""

    by_url: dict[str, str] = field(factory=dict)
    taken: set[str] = field(factory=lambda: {BLACK_REEL, PLACEHOLDER_REEL})

    def of(self, url: str) -> str:
        if url not in self.by_url:
            base = re.sub(r"[^A-Z0-9_]", "", ascii_text(PurePosixPath(file_name(url)).stem).upper()) or "REEL"
            self.by_url[url] = next(name for name in self._candidates(base) if name not in self.taken)
            self.taken.add(self.by_url[url])
        return self.by_url[url]

    @staticmethod
    def _candidates(base: str) -> Iterator[str]:
        """The name cut to 8 characters, then with a counter in its last 3 (or 4, past 999) characters."""
        yield base[:REEL_LENGTH]
        for number in itertools.count(1):
            digits = f"{number:03d}"
            yield base[:REEL_LENGTH - len(digits)] + digits


@define
class EdlWriter:
    view: TimelineView
    reels: ReelNames = field(factory=ReelNames)
    lines: list[str] = field(factory=list)
    number: int = 0

    def tc(self, frames: int) -> str:
        return timecode(frames, self.view.rate)

    def write(self) -> bytes:
        self.lines += [f"TITLE: {ascii_text(self.view.name)[:70]}", "FCM: NON-DROP FRAME", ""]
        for event in self.view.events:
            self._event(event)
        if self.view.music is not None:
            music = self.view.music
            self._line(self.reels.of(music.url), "AA", 0, music.duration, 0)
            self._comments(music.name, music.url)
        return ("\n".join(self.lines) + "\n").encode()

    def _event(self, event: Event) -> None:
        if event.kind == "gap":
            if event.markers:  # black carries locators that fall in a hole of the board
                self._line(BLACK_REEL, "V", 0, event.duration, event.record_in)
                self._markers(event.markers)
            return
        reel = self.reels.of(event.url) if event.url else PLACEHOLDER_REEL
        self._line(reel, "V", event.source_in, event.duration, event.record_in)
        self._comments(event.name, event.url)
        self._markers(event.markers)

    def _line(self, reel: str, channels: str, source_in: int, duration: int, record_in: int) -> None:
        self.number += 1
        start = self.view.start_frame + record_in
        self.lines.append(f"{self.number:03d}  {reel:<8} {channels:<5} C        {self.tc(source_in)} "
                          f"{self.tc(source_in + duration)} {self.tc(start)} {self.tc(start + duration)}")

    def _comments(self, name: str, url: str | None) -> None:
        self.lines.append(f"* FROM CLIP NAME: {one_line(name) or 'UNTITLED'}")
        if url:
            self.lines.append(f"* SOURCE FILE: {one_line(file_name(url))}")

    def _markers(self, markers: tuple[Marker, ...]) -> None:
        for marker in markers:
            when = self.tc(self.view.start_frame + marker.frame)
            self.lines.append(f"* LOC: {when} {MARKER_COLORS.get(marker.kind, 'YELLOW'):<7} {one_line(marker.name)}")


def write_edl(view: TimelineView) -> bytes:
    return EdlWriter(view).write()
