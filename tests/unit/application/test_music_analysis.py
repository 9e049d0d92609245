"""The analysis use case and its runner over fakes: outcomes recorded, stale results dropped, pending resumed."""

import asyncio
from pathlib import Path

from adapters.fakes.clock import FakeClock
from adapters.fakes.media_store import InMemoryMediaStore
from adapters.fakes.music_analyser import FakeMusicAnalyser, steady_grid
from adapters.fakes.music_analysis_store import InMemoryMusicAnalysisStore
from adapters.media.filesystem_store import FilesystemMediaStore
from application.music.analyse_music import AnalyseMusic, AnalyseMusicHandler
from application.music.analysis_runner import MusicAnalysisRunner
from domain.music import AnalysisStatus, MusicAnalysis


class BrokenAnalyser(FakeMusicAnalyser):
    async def analyse(self, path: Path):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")


def song_file(root: Path) -> tuple[FilesystemMediaStore, str]:
    key = "projects/p1/music/song.wav"
    (root / key).parent.mkdir(parents=True)
    (root / key).write_bytes(b"RIFF")
    return FilesystemMediaStore(root=root), key


async def test_a_missing_file_or_an_analyser_bug_is_recorded_failed_never_left_pending(tmp_path):
    store, clock = InMemoryMusicAnalysisStore(), FakeClock()
    pending = MusicAnalysis.requested("p1", "projects/p1/music/gone.wav", now=clock.now())
    await store.put(pending)
    handler = AnalyseMusicHandler(store, FakeMusicAnalyser(), InMemoryMediaStore(), clock)
    assert (await handler(AnalyseMusic(pending))).reason == "The song's file is missing from the media store"
    media, key = song_file(tmp_path)
    pending = MusicAnalysis.requested("p1", key, now=clock.now())
    await store.put(pending)
    failed = await AnalyseMusicHandler(store, BrokenAnalyser(), media, clock)(AnalyseMusic(pending))
    assert failed.status is AnalysisStatus.FAILED and (await store.get("p1")) == failed


async def test_the_result_for_a_song_replaced_meanwhile_is_dropped(tmp_path):
    media, key = song_file(tmp_path)
    store, clock, gate = InMemoryMusicAnalysisStore(), FakeClock(), asyncio.Event()
    analyser = FakeMusicAnalyser(default=steady_grid(90.0, 10.0), gate=gate)
    runner = MusicAnalysisRunner(store, lambda: AnalyseMusicHandler(store, analyser, media, clock), clock)
    await runner.request("p1", key)
    newer = MusicAnalysis.requested("p1", "projects/p1/music/newer.wav", now=clock.now())
    await store.put(newer)
    gate.set()
    await runner.idle()
    assert await store.get("p1") == newer


async def test_resume_starts_every_pending_analysis_one_at_a_time(tmp_path):
    media, key = song_file(tmp_path)
    store, clock = InMemoryMusicAnalysisStore(), FakeClock()
    for project in ("p1", "p2", "p3"):
        await store.put(MusicAnalysis.requested(project, key, now=clock.now()))
    analyser = FakeMusicAnalyser()
    runner = MusicAnalysisRunner(store, lambda: AnalyseMusicHandler(store, analyser, media, clock), clock)
    assert await runner.resume() == 3
    await runner.idle()
    assert await store.pending() == [] and len(analyser.analysed) == 3
    assert {store.analyses[p].status for p in ("p1", "p2", "p3")} == {AnalysisStatus.READY}
