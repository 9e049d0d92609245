"""Frame rates (NTSC ones exact, 24000/1001) and SMPTE non-drop-frame timecode."""

import math
import re
from fractions import Fraction

from attrs import frozen

from domain.errors import InvalidValue

# HH:MM:SS:FF below 24:00:00:00 (ASCII digits; FF below the fastest rate's 30, and below the rate's own timebase)
TIMECODE_PATTERN = r"^([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])[:;]([0-2][0-9])$"
TIMECODE = re.compile(TIMECODE_PATTERN)
DAY_SECONDS = 24 * 3600


@frozen
class FrameRate:
    label: str
    numerator: int
    denominator: int = 1

    @property
    def fps(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def frame_duration(self) -> Fraction:
        """Seconds per frame: 1001/24000 for 23.976."""
        return Fraction(self.denominator, self.numerator)

    @property
    def timebase(self) -> int:
        """The frames counted per timecode second (24 for 23.976, 30 for 29.97)."""
        return round(self.fps)

    @property
    def ntsc(self) -> bool:
        return self.denominator == 1001

    def nearest_frame(self, seconds: float | Fraction) -> int:
        """The frame boundary nearest to `seconds` (halves go up), computed exactly."""
        return math.floor(Fraction(seconds) * self.fps + Fraction(1, 2))

    def whole_frames(self, seconds: float | Fraction) -> int:
        """How many whole frames fit in `seconds`."""
        return math.floor(Fraction(seconds) * self.fps)

    def seconds(self, frames: int) -> Fraction:
        return frames * self.frame_duration


RATES: dict[str, FrameRate] = {rate.label: rate for rate in (
    FrameRate("23.976", 24000, 1001), FrameRate("24", 24), FrameRate("25", 25),
    FrameRate("29.97", 30000, 1001), FrameRate("30", 30),
)}


def frame_rate(label: str) -> FrameRate:
    """The supported rate named `label` (23.976, 24, 25, 29.97 or 30)."""
    rate = RATES.get(label)
    if rate is None:
        raise InvalidValue("fps", f"must be one of {', '.join(RATES)}")
    return rate


def nearest_rate(fps: float) -> FrameRate:
    """The supported rate closest to a floating-point rate (as timeline libraries store them)."""
    return min(RATES.values(), key=lambda rate: abs(float(rate.fps) - fps))


def parse_timecode(text: str, rate: FrameRate) -> int:
    """Frames from HH:MM:SS:FF (non-drop-frame counting at the rate's timebase)."""
    match = TIMECODE.fullmatch(text)
    if match is None:
        raise InvalidValue("start_timecode", "must be HH:MM:SS:FF below 24:00:00:00")
    hours, minutes, seconds, frames = (int(part) for part in match.groups())
    if hours > 23 or minutes > 59 or seconds > 59 or frames >= rate.timebase:
        raise InvalidValue("start_timecode", f"must be a valid timecode below 24:00:00:00 at {rate.label} fps")
    return ((hours * 60 + minutes) * 60 + seconds) * rate.timebase + frames


def timecode(frames: int, rate: FrameRate) -> str:
    """HH:MM:SS:FF for a frame count (non-drop-frame), wrapping at 24 hours."""
    base = rate.timebase
    frames %= DAY_SECONDS * base
    seconds, frame = divmod(frames, base)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}:{frame:02d}"
