"""A music analyser that knows the songs it is told about: a grid or a failure per file name, else a steady beat."""

import asyncio
from pathlib import Path

from attrs import define, field

from application.ports.music_analyser import MusicAnalysisFailed
from domain.music import BeatGrid


def steady_grid(bpm: float, duration_s: float, *, first_beat_s: float = 0.0, beats_per_bar: int = 4) -> BeatGrid:
    period = 60.0 / bpm
    count = int((duration_s - first_beat_s) / period) + 1
    beats = tuple(round(first_beat_s + index * period, 3) for index in range(count))
    return BeatGrid(duration_s=duration_s, tempo_bpm=bpm, beats=beats, downbeats=beats[::beats_per_bar],
                    beats_per_bar=beats_per_bar)


@define
class FakeMusicAnalyser:
    default: BeatGrid = field(factory=lambda: steady_grid(120.0, 60.0))
    by_suffix: dict[str, BeatGrid | str] = field(factory=dict)  # a file suffix -> its grid, or why it fails
    gate: asyncio.Event | None = None  # when set, analyses wait for it (to observe `pending`)
    analysed: list[Path] = field(factory=list)

    @property
    def name(self) -> str:
        return "fake"

    async def analyse(self, path: Path) -> BeatGrid:
        if self.gate is not None:
            await self.gate.wait()
        self.analysed.append(path)
        outcome = self.by_suffix.get(path.suffix, self.default)
        if isinstance(outcome, str):
            raise MusicAnalysisFailed(outcome)
        return outcome
