"""Where synced lyrics put clips: one per line, from its time to the next line's (or its own end), by section."""

from collections.abc import Sequence

from attrs import frozen

from domain.lyrics import LyricLine, LyricSection, LyricsSyntaxError

LAST_LINE_S = 4.0  # how long the last line lasts when neither the file nor the song says
NAME_LENGTH = 60


@frozen
class PlannedClip:
    start: float  # seconds in the song
    end: float
    text: str
    line: int

    @property
    def name(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return first if len(first) <= NAME_LENGTH else first[: NAME_LENGTH - 1].rstrip() + "…"


@frozen
class PlannedScene:
    name: str | None
    clips: tuple[PlannedClip, ...]


def plan(sections: Sequence[LyricSection], *, song_end: float | None) -> list[PlannedScene]:
    """Each line with words becomes a clip, in time order; a new scene starts where the next line in time belongs
    to another section of the file. A line without words (an LRC break) only ends the one before."""
    owner = {line: index for index, section in enumerate(sections) for line in section.lines}
    ends = _ends(list(owner), song_end)
    scenes: list[tuple[int, list[PlannedClip]]] = []
    for line in sorted(owner, key=lambda item: (item.start, item.line)):
        if not line.text:
            continue
        if not scenes or scenes[-1][0] != owner[line]:
            scenes.append((owner[line], []))
        scenes[-1][1].append(PlannedClip(line.start, ends[line], line.text, line.line))
    return [PlannedScene(sections[index].name, tuple(clips)) for index, clips in scenes]


def _ends(lines: list[LyricLine], song_end: float | None) -> dict[LyricLine, float]:
    ordered = sorted(lines, key=lambda line: (line.start, line.line))
    ends = {}
    for index, line in enumerate(ordered):
        following = ordered[index + 1].start if index + 1 < len(ordered) else None
        end = _end(line, following, song_end)
        if end <= line.start:
            raise LyricsSyntaxError(ordered[index + 1].line, "two lines start at the same time")
        ends[line] = end
    return ends


def _end(line: LyricLine, following: float | None, song_end: float | None) -> float:
    if following is not None:
        return following if line.end is None else min(line.end, following)
    if line.end is not None:
        return line.end
    return song_end if song_end is not None and song_end > line.start else line.start + LAST_LINE_S
