"""The song's tempo, as its analysis found it (None before an analysis of this very song is ready)."""

from application.ports.music_analysis_store import MusicAnalysisStore
from domain.music import AnalysisStatus
from domain.project import Project


async def tempo_of(project: Project, analyses: MusicAnalysisStore | None) -> float | None:
    if project.music is None or analyses is None:
        return None
    analysis = await analyses.get(project.id)
    if analysis is None or analysis.status is not AnalysisStatus.READY or analysis.music_key != project.music.key:
        return None
    return analysis.grid.tempo_bpm if analysis.grid is not None else None
