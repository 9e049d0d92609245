"""The song analyses, in memory."""

from attrs import define, field

from domain.music import AnalysisStatus, MusicAnalysis


@define
class InMemoryMusicAnalysisStore:
    analyses: dict[str, MusicAnalysis] = field(factory=dict)

    async def put(self, analysis: MusicAnalysis) -> None:
        self.analyses[analysis.project_id] = analysis

    async def finish(self, analysis: MusicAnalysis) -> bool:
        current = self.analyses.get(analysis.project_id)
        if current is None or current.status is not AnalysisStatus.PENDING or current.music_key != analysis.music_key:
            return False
        self.analyses[analysis.project_id] = analysis
        return True

    async def get(self, project_id: str) -> MusicAnalysis | None:
        return self.analyses.get(project_id)

    async def pending(self) -> list[MusicAnalysis]:
        waiting = [a for a in self.analyses.values() if a.status is AnalysisStatus.PENDING]
        return sorted(waiting, key=lambda analysis: analysis.requested_at)

    async def delete(self, project_id: str) -> None:
        self.analyses.pop(project_id, None)
