"""Song analyses in the background: requested by the upload, resumed at start-up for those a crash left pending."""

import asyncio
import logging
from collections.abc import Callable

from attrs import define, field

from application.music.analyse_music import AnalyseMusic, AnalyseMusicHandler
from application.ports.clock import Clock
from application.ports.music_analysis_store import MusicAnalysisStore
from domain.music import MusicAnalysis

log = logging.getLogger(__name__)


@define
class MusicAnalysisRunner:
    store: MusicAnalysisStore
    new_handler: Callable[[], AnalyseMusicHandler]
    clock: Clock
    _tasks: set[asyncio.Task[MusicAnalysis]] = field(factory=set, init=False)
    _lock: asyncio.Lock = field(factory=asyncio.Lock, init=False)  # one song at a time: the work is CPU-bound

    async def request(self, project_id: str, music_key: str) -> MusicAnalysis:
        """Record the song's analysis as pending (durably) and start it; returns at once."""
        pending = MusicAnalysis.requested(project_id, music_key, now=self.clock.now())
        await self.store.put(pending)
        self._start(pending)
        return pending

    async def resume(self) -> int:
        """Start every analysis left pending; how many."""
        waiting = await self.store.pending()
        for pending in waiting:
            self._start(pending)
        return len(waiting)

    async def idle(self) -> None:
        """Wait for the analyses running now."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def stop(self, *, grace_s: float = 5.0) -> None:
        """Let the running analyses finish within `grace_s`, then cancel them (they stay pending: resumed later)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace_s)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _start(self, pending: MusicAnalysis) -> None:
        task = asyncio.create_task(self._run(pending), name=f"music analysis {pending.project_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, pending: MusicAnalysis) -> MusicAnalysis:
        async with self._lock:
            return await self.new_handler()(AnalyseMusic(pending))
