"""Port: finding a song's tempo, beats and bars (CPU-bound: adapters run it away from the event loop)."""

from pathlib import Path
from typing import Protocol

from domain.music import BeatGrid


class MusicAnalysisFailed(Exception):
    """The song could not be analysed; the message says why, for the user."""


class MusicAnalyser(Protocol):
    @property
    def name(self) -> str:
        """The tracker and its version, recorded with each analysis."""
        ...

    async def analyse(self, path: Path) -> BeatGrid:
        """The song's beat grid (empty when it has no steady beat); raises MusicAnalysisFailed."""
        ...
