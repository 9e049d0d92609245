"""Reading a project's song analysis, and the beat grid the layout use cases need."""

from attrs import define

from application.errors import Conflict, NotFound
from application.lookups import require
from application.ports.music_analysis_store import MusicAnalysisStore
from application.ports.unit_of_work import UnitOfWork
from domain.music import AnalysisStatus, BeatGrid, MusicAnalysis
from domain.project import Project


async def project_with_music(uow: UnitOfWork, project_id: str) -> Project:
    """The project, which must have a song (else NotFound naming its music)."""
    async with uow:
        project = await require(uow.projects, project_id, "Project")
    if project.music is None:
        raise NotFound("Music of project", project_id)
    return project


async def analysis_of(store: MusicAnalysisStore, project: Project) -> MusicAnalysis | None:
    """The analysis of the project's current song (None when there is none, or it is of a song replaced since)."""
    if project.music is None:
        return None
    analysis = await store.get(project.id)
    return analysis if analysis is not None and analysis.music_key == project.music.key else None


async def ready_grid(store: MusicAnalysisStore, project: Project) -> BeatGrid:
    """The song's beat grid; Conflict saying why when there is nothing to lay the board on."""
    if project.music is None:
        raise Conflict("The project has no music: upload a song first")
    analysis = await analysis_of(store, project)
    if analysis is None:
        raise Conflict("The project's music has not been analysed: POST /music/analysis to analyse it")
    if analysis.status is AnalysisStatus.PENDING:
        raise Conflict("The project's music is still being analysed; try again when its analysis is ready")
    if analysis.status is AnalysisStatus.FAILED or analysis.grid is None:
        raise Conflict(f"The analysis of the project's music failed: {analysis.reason}")
    if not analysis.grid.beats:
        raise Conflict("The project's music has no steady beat to snap to")
    return analysis.grid


@define
class GetMusicAnalysis:
    uow: UnitOfWork
    store: MusicAnalysisStore

    async def __call__(self, project_id: str) -> MusicAnalysis:
        project = await project_with_music(self.uow, project_id)
        analysis = await analysis_of(self.store, project)
        if analysis is None:
            raise NotFound("Music analysis of project", project_id)
        return analysis
