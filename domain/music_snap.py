"""Snapping a scene's clips to the song's beats or bars: a projection, so snapping twice changes nothing.

Times here are seconds in the cut (the scene's start added); the grid is ascending. A clip's start goes to the
nearest grid point after the previous clip's start; its end to the nearest allowed end after its start and not
past the next clip's start: a grid point, or with a frame rule the longest length the model can generate that
ends on or before a grid point. The allowed ends depend only on the clip's (snapped) start and the next one, so
a second pass finds every boundary already where it would go. Clips after the last grid point keep their length.
"""

import bisect
import math
from collections.abc import Sequence

from attrs import frozen

from domain.clip import Clip
from domain.frames import FrameRule
from domain.music import nearest
from domain.scene import Scene


@frozen
class Span:
    start: float
    end: float


@frozen
class FrameFit:
    """Lengths a model can generate: `rule` frame counts at `fps`."""

    rule: FrameRule
    fps: float

    def longest_within(self, seconds: float) -> float | None:
        """The longest legal length not over `seconds` (the model's longest past its maximum); None if too short."""
        frames = min(math.floor(seconds * self.fps + 1e-9), self.rule.maximum)
        count = math.floor((frames - self.rule.offset) / self.rule.step) * self.rule.step + self.rule.offset
        return count / self.fps if count >= self.rule.minimum else None


def length_to(position: float, end: float) -> float:
    """The length from `position` to `end` whose float sum never passes `end` (so adjacent clips never overlap)."""
    length = end - position
    while position + length > end:
        length = math.nextafter(length, 0.0)
    return length


def scene_starts(scenes: Sequence[tuple[Scene, Sequence[Clip]]]) -> dict[str, float]:
    """Where each main scene starts in the cut, as the exports place them: scenes in order, end to end, each
    lasting until its last main clip ends; alternate scenes are not in the cut."""
    starts, offset = {}, 0.0
    for scene, clips in scenes:
        if scene.is_alternate:
            continue
        starts[scene.id] = offset
        offset += max((clip.end for clip in clips if not clip.is_alternate), default=0.0)
    return starts


def snap_spans(spans: Sequence[Span], grid: Sequence[float], *, not_before: float,
               fit: FrameFit | None = None) -> list[Span]:
    """`spans` (ascending, not overlapping) moved onto `grid`; nothing starts before `not_before`."""
    points = tuple(point for point in grid if point >= not_before)
    starts = _starts(spans, points)
    out: list[Span] = []
    for index, (span, start) in enumerate(zip(spans, starts)):
        if start is None:
            begin = max(span.start, out[-1].end if out else not_before)
            out.append(_kept(span, begin))
            continue
        cap = starts[index + 1] if index + 1 < len(starts) and starts[index + 1] is not None else math.inf
        out.append(Span(start, _end(span, start, cap, points, fit)))
    return out


def _starts(spans: Sequence[Span], points: tuple[float, ...]) -> list[float | None]:
    """Each start at the nearest grid point after the previous one; None once the grid runs out."""
    starts: list[float | None] = []
    previous = -math.inf
    for span in spans:
        left = points[bisect.bisect_right(points, previous):]
        if not left:
            starts.append(None)
            continue
        previous = nearest(left, span.start)
        starts.append(previous)
    return starts


def _end(span: Span, start: float, cap: float, points: tuple[float, ...], fit: FrameFit | None) -> float:
    later = [point for point in points[bisect.bisect_right(points, start):] if point <= cap]
    ends = _fitted(start, later, fit) if fit is not None else ()
    ends = ends or tuple(later)
    if not ends:  # past the last grid point: the clip keeps its length
        return _kept(span, start).end
    return nearest(ends, span.end)


def _kept(span: Span, start: float) -> Span:
    """`span` moved to `start` with its length (itself when it does not move: no float drift on a second pass)."""
    return span if start == span.start else Span(start, start + (span.end - span.start))


def _fitted(start: float, later: Sequence[float], fit: FrameFit) -> tuple[float, ...]:
    lengths = {fit.longest_within(point - start) for point in later}
    return tuple(sorted(start + length for length in lengths if length is not None))
