"""A song's rhythm as the analysis found it (tempo, beats, bars) and the analysis's durable status."""

import bisect
from datetime import datetime
from enum import Enum

from attrs import evolve, frozen


class AnalysisStatus(str, Enum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class SnapUnit(str, Enum):
    BEAT = "beat"
    BAR = "bar"


@frozen
class BeatGrid:
    """Times in seconds from the start of the song, ascending; empty when the song has no steady beat."""

    duration_s: float
    tempo_bpm: float | None = None
    beats: tuple[float, ...] = ()
    downbeats: tuple[float, ...] = ()  # the first beat of each bar
    beats_per_bar: int | None = None

    def times(self, unit: SnapUnit) -> tuple[float, ...]:
        return self.beats if unit is SnapUnit.BEAT else self.downbeats


def nearest(times: tuple[float, ...], at: float) -> float:
    """The time in `times` (ascending, not empty) closest to `at`; the earlier one on a tie."""
    index = bisect.bisect_left(times, at)
    candidates = times[max(0, index - 1): index + 1]
    return min(candidates, key=lambda time: (abs(time - at), time))


@frozen
class MusicAnalysis:
    """The analysis of one song of a project (`music_key` is the song's storage key)."""

    project_id: str
    music_key: str
    status: AnalysisStatus
    requested_at: datetime
    finished_at: datetime | None = None
    grid: BeatGrid | None = None
    reason: str | None = None  # why it failed, or a note on a ready one (e.g. no steady beat)
    tracker: str | None = None

    @classmethod
    def requested(cls, project_id: str, music_key: str, *, now: datetime) -> "MusicAnalysis":
        return cls(project_id=project_id, music_key=music_key, status=AnalysisStatus.PENDING, requested_at=now)

    def ready(self, grid: BeatGrid, *, tracker: str, now: datetime) -> "MusicAnalysis":
        note = None if grid.beats else "No steady beat was found in the song"
        return evolve(self, status=AnalysisStatus.READY, grid=grid, tracker=tracker, finished_at=now, reason=note)

    def failed(self, reason: str, *, now: datetime) -> "MusicAnalysis":
        return evolve(self, status=AnalysisStatus.FAILED, reason=reason, finished_at=now, grid=None)


class MarkerChoice(str, Enum):
    """Which of the song's rhythm an export marks."""

    BEATS = "beats"
    BARS = "bars"
    NONE = "none"

    @property
    def unit(self) -> SnapUnit | None:
        return {MarkerChoice.BEATS: SnapUnit.BEAT, MarkerChoice.BARS: SnapUnit.BAR}.get(self)


@frozen
class RhythmMarkers:
    """Beat or bar times (seconds in the song, which starts with the cut) for an export to mark."""

    unit: SnapUnit
    times: tuple[float, ...]
