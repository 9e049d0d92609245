"""MusicAnalysisStore: one analysis per project, replaced by a new request; finished only while pending for its song."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.fakes.music_analysis_store import InMemoryMusicAnalysisStore
from adapters.mongo.music_analysis_store import MongoMusicAnalysisStore
from application.ports.music_analysis_store import MusicAnalysisStore
from domain.music import AnalysisStatus, BeatGrid, MusicAnalysis
from tests.contract.conftest import BACKENDS, fresh_database

T0 = datetime(2026, 5, 1, 12, 0, 0, 125_000, tzinfo=UTC)
GRID = BeatGrid(duration_s=12.5, tempo_bpm=128.0, beats=(0.25, 0.719, 1.188), downbeats=(0.25,), beats_per_bar=4)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[MusicAnalysisStore]:
    if request.param == "fake":
        yield InMemoryMusicAnalysisStore()
        return
    async with fresh_database(secantus_url) as database:
        yield MongoMusicAnalysisStore(database.handle)


def requested(project_id: str, key: str = "projects/p/music/a.wav", at: int = 0) -> MusicAnalysis:
    return MusicAnalysis.requested(project_id, key, now=T0 + timedelta(seconds=at))


async def test_a_put_analysis_reads_back_whole_and_a_new_request_replaces_it(store):
    await store.put(requested("p1"))
    ready = requested("p1").ready(GRID, tracker="madmom", now=T0 + timedelta(seconds=3))
    assert await store.finish(ready)
    assert await store.get("p1") == ready
    await store.put(requested("p1", "projects/p/music/b.wav", at=5))
    assert (await store.get("p1")).status is AnalysisStatus.PENDING
    assert await store.get("nobody") is None


async def test_a_result_for_a_replaced_song_or_a_finished_analysis_is_not_stored(store):
    await store.put(requested("p1", "new-song"))
    stale = requested("p1", "old-song").failed("late", now=T0)
    assert not await store.finish(stale)
    assert (await store.get("p1")).music_key == "new-song"
    done = requested("p1", "new-song").failed("no audio", now=T0)
    assert await store.finish(done)
    assert not await store.finish(requested("p1", "new-song").ready(GRID, tracker="x", now=T0))
    assert await store.get("p1") == done


async def test_pending_lists_the_waiting_oldest_first_and_delete_forgets(store):
    await store.put(requested("late", at=9))
    await store.put(requested("early", at=1))
    await store.put(requested("done"))
    await store.finish(requested("done").ready(BeatGrid(duration_s=1.0), tracker="x", now=T0))
    assert [analysis.project_id for analysis in await store.pending()] == ["early", "late"]
    await store.delete("early")
    await store.delete("never-there")
    assert [analysis.project_id for analysis in await store.pending()] == ["late"]
