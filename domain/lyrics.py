"""Synced lyrics: LRC and SRT files read into timed lines grouped in sections (pure; errors name the line)."""

import re
from collections.abc import Iterator

from attrs import frozen

from domain.errors import InvalidValue

MAX_LINES = 5000
LRC_TIME = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
LRC_TAG = re.compile(r"\[([A-Za-z#]+):([^\]]*)\]\s*$")
SECTION = re.compile(r"\[([^\[\]:]{1,80})\]\s*$")  # [Chorus], [Verse 2]
WORD_TIME = re.compile(r"<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>")  # enhanced LRC's word stamps
SRT_TIME = r"(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})"
SRT_TIMING = re.compile(rf"{SRT_TIME}\s*-->\s*{SRT_TIME}(?:\s.*)?$")
MARKUP = re.compile(r"</?(?:[ibu]|font)\b[^>]*>|\{\\[^}]*\}")


class LyricsSyntaxError(InvalidValue):
    """A line of a lyrics file does not parse; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__("file", f"line {line}: {message}")
        self.line = line


@frozen
class LyricLine:
    start: float  # seconds in the song
    text: str
    end: float | None = None  # SRT gives it; LRC lines end where the next begins
    line: int = 0  # where it is in the file


@frozen
class LyricSection:
    name: str | None
    lines: tuple[LyricLine, ...]


def _numbered(text: str) -> Iterator[tuple[int, str]]:
    """Lines of a file's text (BOM, CRLF and CR handled), numbered from 1."""
    lines = text.removeprefix("\ufeff").splitlines()
    if len(lines) > MAX_LINES:
        raise LyricsSyntaxError(MAX_LINES + 1, f"the file has more than {MAX_LINES} lines")
    return ((number, line.strip()) for number, line in enumerate(lines, start=1))


def _fraction(digits: str | None) -> float:
    return int(digits) / 10 ** len(digits) if digits else 0.0


def _sections(groups: list[tuple[str | None, list[LyricLine]]]) -> tuple[LyricSection, ...]:
    return tuple(LyricSection(name, tuple(sorted(lines, key=lambda item: (item.start, item.line))))
                 for name, lines in groups if lines or name)


class _Grouper:
    """Lines gathered into sections: a blank line or a section tag closes the current one."""

    def __init__(self) -> None:
        self.groups: list[tuple[str | None, list[LyricLine]]] = [(None, [])]

    def add(self, line: LyricLine) -> None:
        self.groups[-1][1].append(line)

    def section(self, name: str | None) -> None:
        if self.groups[-1][1]:
            self.groups.append((name, []))
        elif name is not None:
            self.groups[-1] = (name, [])


def parse_lrc(text: str) -> tuple[LyricSection, ...]:
    """LRC: `[mm:ss.xx]` stamps (several per line allowed), `[offset:±ms]`, metadata tags, `[Section]` tags."""
    grouper, offset, timed = _Grouper(), 0.0, []
    for number, line in _numbered(text):
        if not line:
            grouper.section(None)
        elif line.startswith("#"):
            continue
        elif LRC_TIME.match(line):
            for start, words in _lrc_stamps(number, line):
                timed.append(LyricLine(start=start, text=words, line=number))
                grouper.add(timed[-1])
        elif tag := LRC_TAG.match(line):
            offset = _lrc_offset(number, tag[1], tag[2], offset)
        elif section := SECTION.match(line):
            grouper.section(section[1].strip())
        else:
            raise LyricsSyntaxError(number, f"expected a [mm:ss.xx] time stamp or a [tag], found {line[:40]!r}")
    if not timed:
        raise LyricsSyntaxError(1, "the file holds no timed lyrics line")
    return _sections([(name, [_shifted(item, offset) for item in lines]) for name, lines in grouper.groups])


def _lrc_stamps(number: int, line: str) -> list[tuple[float, str]]:
    stamps, rest = [], line
    while match := LRC_TIME.match(rest):
        minutes, seconds = int(match[1]), int(match[2])
        if seconds >= 60:
            raise LyricsSyntaxError(number, f"seconds must be below 60 in {match[0]}")
        stamps.append(minutes * 60 + seconds + _fraction(match[3]))
        rest = rest[match.end():].lstrip()
    words = WORD_TIME.sub("", rest).strip()
    return [(stamp, words) for stamp in stamps]


def _lrc_offset(number: int, key: str, value: str, current: float) -> float:
    if key.lower() != "offset":
        return current
    try:
        return int(value.strip()) / 1000
    except ValueError:
        raise LyricsSyntaxError(number, f"[offset:] takes whole milliseconds, found {value.strip()!r}") from None


def _shifted(line: LyricLine, offset: float) -> LyricLine:
    """A positive offset shows the lyrics earlier (the LRC convention)."""
    return LyricLine(start=round(max(0.0, line.start - offset), 3), text=line.text, line=line.line)


def parse_srt(text: str) -> tuple[LyricSection, ...]:
    """SRT: numbered cues `HH:MM:SS,mmm --> HH:MM:SS,mmm` and their text; a cue reading `[Section]` starts one."""
    grouper, cues = _Grouper(), 0
    block: list[tuple[int, str]] = []
    for number, line in [*_numbered(text), (-1, "")]:
        if line:
            block.append((number, line))
            continue
        if block:
            cues += _srt_cue(block, grouper)
            block = []
    if not cues:
        raise LyricsSyntaxError(1, "the file holds no subtitle cue")
    return _sections(grouper.groups)


def _srt_cue(block: list[tuple[int, str]], grouper: _Grouper) -> int:
    if block[0][1].isdigit():
        block = block[1:]
    if not block:
        return 0
    number, timing = block[0]
    match = SRT_TIMING.match(timing)
    if match is None:
        raise LyricsSyntaxError(number, f"expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm', found {timing[:40]!r}")
    start, end = _srt_time(number, match.groups()[:4]), _srt_time(number, match.groups()[4:])
    if end <= start:
        raise LyricsSyntaxError(number, "the cue ends before it starts")
    words = "\n".join(MARKUP.sub("", line).strip() for _, line in block[1:]).strip()
    if section := SECTION.match(words):
        grouper.section(section[1].strip())
        return 0
    grouper.add(LyricLine(start=start, end=end, text=words, line=number))
    return 1


def _srt_time(number: int, parts: tuple[str, ...]) -> float:
    hours, minutes, seconds, millis = parts
    if int(minutes) >= 60 or int(seconds) >= 60:
        raise LyricsSyntaxError(number, "minutes and seconds must be below 60")
    return round(int(hours) * 3600 + int(minutes) * 60 + int(seconds) + _fraction(millis), 3)


def read_lyrics(data: bytes, file_name: str | None) -> tuple[LyricSection, ...]:
    """An .lrc or .srt file's sections, its format by extension, else by its first timing line; UTF-8 or UTF-16."""
    text = _decoded(data)
    name = (file_name or "").lower()
    if name.endswith(".srt") or not name.endswith(".lrc") and any(SRT_TIMING.match(line.strip())
                                                                   for line in text.splitlines()[:20]):
        return parse_srt(text)
    return parse_lrc(text)


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LyricsSyntaxError(line, "the file is not UTF-8 text") from None
