"""The MusicAnalyser contract, against the fake and madmom (in its worker process), on a synthesized 120 BPM song."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.audio.madmom_analyser import MadmomMusicAnalyser
from adapters.fakes.music_analyser import FakeMusicAnalyser
from application.ports.music_analyser import MusicAnalyser
from tests.music_samples import encoded, synth_song

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module", params=["fake", "madmom"])
def analyser(request: pytest.FixtureRequest) -> Iterator[MusicAnalyser]:
    if request.param == "fake":
        yield FakeMusicAnalyser()
        return
    real = MadmomMusicAnalyser()
    yield real
    real.close()


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("songs") / "steady.wav"
    path.write_bytes(encoded(synth_song(120, seconds=12)))
    return path


async def test_a_steady_song_gets_its_tempo_and_an_ordered_grid_of_bars(analyser, song):
    grid = await analyser.analyse(song)
    assert analyser.name
    assert grid.tempo_bpm is not None and abs(grid.tempo_bpm - 120) <= 2.4  # within 2 %
    assert list(grid.beats) == sorted(grid.beats) and len(grid.beats) >= 8
    assert set(grid.downbeats) <= set(grid.beats) and grid.downbeats
