"""Analyse a project's song again (e.g. one uploaded before analyses existed), in the background."""

from attrs import define

from application.errors import NotFound
from application.lookups import require
from application.music.analysis_runner import MusicAnalysisRunner
from application.ports.unit_of_work import UnitOfWork
from domain.music import MusicAnalysis


@define
class RequestMusicAnalysis:
    uow: UnitOfWork
    runner: MusicAnalysisRunner

    async def __call__(self, project_id: str) -> MusicAnalysis:
        async with self.uow:
            project = await require(self.uow.projects, project_id, "Project")
        if project.music is None:
            raise NotFound("Music of project", project_id)
        return await self.runner.request(project_id, project.music.key)
