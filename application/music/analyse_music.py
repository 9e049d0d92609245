"""Analyse one project's song: locate its file, run the analyser, record `ready` or `failed` with the reason."""

import logging

from attrs import define, frozen

from application.ports.clock import Clock
from application.ports.media_store import MediaStore
from application.ports.music_analyser import MusicAnalyser, MusicAnalysisFailed
from application.ports.music_analysis_store import MusicAnalysisStore
from domain.music import MusicAnalysis

log = logging.getLogger(__name__)


@frozen
class AnalyseMusic:
    analysis: MusicAnalysis  # the pending request


@define
class AnalyseMusicHandler:
    store: MusicAnalysisStore
    analyser: MusicAnalyser
    media: MediaStore
    clock: Clock

    async def __call__(self, cmd: AnalyseMusic) -> MusicAnalysis:
        finished = await self._outcome(cmd.analysis)
        if not await self.store.finish(finished):
            log.info("analysis of %s for project %s dropped: the song changed", finished.music_key,
                     finished.project_id)
        return finished

    async def _outcome(self, pending: MusicAnalysis) -> MusicAnalysis:
        located = self.media.locate(pending.music_key)
        if located is None:
            return pending.failed("The song's file is missing from the media store", now=self.clock.now())
        try:
            grid = await self.analyser.analyse(located.path)
        except MusicAnalysisFailed as exc:
            return pending.failed(str(exc), now=self.clock.now())
        except Exception:  # an analyser's bug must not leave the song pending for ever
            log.exception("analysis of %s failed", pending.music_key)
            return pending.failed("The analyser failed on this song", now=self.clock.now())
        return pending.ready(grid, tracker=self.analyser.name, now=self.clock.now())
