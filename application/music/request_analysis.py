"""Analyse a project's song again (e.g. one uploaded before analyses existed), in the background."""

from attrs import define

from application.music.analysis_runner import MusicAnalysisRunner
from application.music.queries import project_with_music
from application.ports.unit_of_work import UnitOfWork
from domain.music import MusicAnalysis


@define
class RequestMusicAnalysis:
    uow: UnitOfWork
    runner: MusicAnalysisRunner

    async def __call__(self, project_id: str) -> MusicAnalysis:
        project = await project_with_music(self.uow, project_id)
        assert project.music is not None  # project_with_music saw to it
        return await self.runner.request(project_id, project.music.key)
