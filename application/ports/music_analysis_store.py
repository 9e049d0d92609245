"""Port: the durable analysis of each project's song (one per project), so pending work survives a crash."""

from typing import Protocol

from domain.music import MusicAnalysis


class MusicAnalysisStore(Protocol):
    async def put(self, analysis: MusicAnalysis) -> None:
        """Keep `analysis` as its project's, replacing the one before (a new song's request)."""
        ...

    async def finish(self, analysis: MusicAnalysis) -> bool:
        """Store a finished analysis only while its project's is still pending for the same song; whether it was."""
        ...

    async def get(self, project_id: str) -> MusicAnalysis | None: ...

    async def pending(self) -> list[MusicAnalysis]:
        """Every analysis still pending, oldest request first."""
        ...

    async def delete(self, project_id: str) -> None: ...
