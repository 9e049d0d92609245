"""The PyAV animatic decoded back: the cut's length and rate, the song under it, a new picture at each cut."""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from attrs import evolve

from adapters.export.timeline_builder import TimelineBuilder
from adapters.export.timeline_view import view_of
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from adapters.render.animatic_renderer import PyAVAnimaticRenderer
from application.ports.project_board_reader import ProjectBoard
from bench.render_boards import PROJECT, locate_path, seed_board
from domain.render_job import AnimaticSettings
from domain.timecode import frame_rate


@pytest.fixture
async def board(tmp_path: Path) -> ProjectBoard:
    """Three clips of 1.2 s (a video, a still, a title card), a hole of 0.4 s, then three more; lyrics on some."""
    store = InMemoryStore()
    seed_board(store, tmp_path, scenes=2, clips=3, clip_s=1.2)
    later = store.tables["clips"]["s001c001"]
    store.tables["clips"]["s001c001"] = evolve(later, timeline_position=later.timeline_position + 0.4)
    board = await InMemoryProjectBoardReader(store).board(PROJECT)
    assert board is not None
    return board


def decoded(path: Path) -> tuple[tuple[Fraction | None, int, int], list[np.ndarray], int, int]:
    """(rate, width, height) of the picture, its frames in grey, the sound's samples and sample rate."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        video = (stream.average_rate, stream.width, stream.height)  # read while the file is open
        frames = [frame.to_ndarray(format="gray").astype(float) for frame in container.decode(video=0)]
    with av.open(str(path)) as container:
        audio = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(audio=0))
        return video, frames, samples, audio.sample_rate


async def test_the_animatic_has_the_cut_s_length_rate_sound_and_cuts(board: ProjectBoard, tmp_path: Path) -> None:
    rate = frame_rate("25")
    view = view_of(TimelineBuilder(rate, media_url=lambda key: key).build(board, start_frame=0))
    renderer = PyAVAnimaticRenderer(tmp_path / "out", locate_path)
    progress: list[float] = []
    rendered = await renderer.render(board, AnimaticSettings("25", 320, 180, True), name="a1",
                                     progress=progress.append)
    located = renderer.locate(rendered.key)
    assert located is not None and located.content_type == "video/mp4"
    video, frames, samples, sample_rate = decoded(located.path)

    assert video == (Fraction(25), 320, 180)
    assert len(frames) == view.duration and abs(rendered.duration_s - view.duration / 25) < 1e-9
    assert abs(samples / sample_rate - view.duration / 25) <= 1 / 25  # the song, padded with silence to the cut
    assert progress[-1] == 1.0 and progress == sorted(progress)
    for event in view.events[1:]:  # the last frame before each cut and the first after it
        before, after = frames[event.record_in - 1], frames[event.record_in]
        assert np.abs(before - after).mean() > 4, (event.kind, event.record_in)
    assert {event.kind for event in view.events} == {"video", "still", "placeholder", "gap"}


async def test_the_song_plays_under_the_picture(board: ProjectBoard, tmp_path: Path) -> None:
    renderer = PyAVAnimaticRenderer(tmp_path / "out", locate_path)
    rendered = await renderer.render(board, AnimaticSettings("24", 256, 144, False), name="a2",
                                     progress=lambda _: None)
    located = renderer.locate(rendered.key)
    assert located is not None
    with av.open(str(located.path)) as container:
        loudness = [np.abs(frame.to_ndarray()).mean() for frame in container.decode(audio=0)]
    assert np.mean(loudness[5:-5]) > 0.05  # the tone, not silence


async def test_a_board_without_clips_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    store = InMemoryStore()
    seed_board(store, tmp_path, scenes=1, clips=0, clip_s=1.0)
    board = await InMemoryProjectBoardReader(store).board(PROJECT)
    renderer = PyAVAnimaticRenderer(tmp_path / "out", locate_path)
    with pytest.raises(ValueError, match="no clip"):
        await renderer.render(board, AnimaticSettings(), name="a3", progress=lambda _: None)  # type: ignore[arg-type]
    assert not list((tmp_path / "out").rglob("*.mp4"))
