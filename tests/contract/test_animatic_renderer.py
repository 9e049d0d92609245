"""The AnimaticRenderer port: the fake and the PyAV renderer keep, find and delete renders alike."""

from pathlib import Path

import pytest

from adapters.fakes.animatic_renderer import FakeAnimaticRenderer
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from adapters.render.animatic_renderer import PyAVAnimaticRenderer
from application.ports.animatic_renderer import AnimaticRenderer
from application.ports.project_board_reader import ProjectBoard
from bench.render_boards import PROJECT, locate_path, seed_board
from domain.render_job import AnimaticSettings


@pytest.fixture(params=["fake", "pyav"])
def renderer(request: pytest.FixtureRequest, tmp_path: Path) -> AnimaticRenderer:
    if request.param == "fake":
        return FakeAnimaticRenderer(tmp_path / "renders")
    return PyAVAnimaticRenderer(tmp_path / "renders", locate_path)


@pytest.fixture
async def board(tmp_path: Path) -> ProjectBoard:
    store = InMemoryStore()
    seed_board(store, tmp_path, scenes=1, clips=2, clip_s=0.5)
    found = await InMemoryProjectBoardReader(store).board(PROJECT)
    assert found is not None
    return found


async def test_a_render_is_found_by_its_key_until_deleted(renderer: AnimaticRenderer, board: ProjectBoard) -> None:
    progress: list[float] = []
    rendered = await renderer.render(board, AnimaticSettings("24", 128, 72, True), name="r1",
                                     progress=progress.append)
    located = renderer.locate(rendered.key)
    assert located is not None and located.content_type == "video/mp4" and located.path.stat().st_size > 0
    assert progress[-1] == 1.0 and rendered.duration_s > 0
    await renderer.delete(rendered.key)
    assert renderer.locate(rendered.key) is None
    await renderer.delete(rendered.key)  # deleting twice is no error


async def test_a_progress_callback_that_raises_stops_the_render(renderer: AnimaticRenderer,
                                                                board: ProjectBoard) -> None:
    def stop(_: float) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        await renderer.render(board, AnimaticSettings("24", 128, 72, False), name="r2", progress=stop)


def test_unknown_and_escaping_keys_name_nothing(renderer: AnimaticRenderer) -> None:
    for key in ("", "nope.mp4", f"projects/{PROJECT}/animatics/none.mp4", "../../etc/passwd"):
        assert renderer.locate(key) is None
