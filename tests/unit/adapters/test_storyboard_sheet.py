"""The storyboard sheet: real PDF pages with their panels, Greek and Cyrillic as text, the tempo when analysed."""

import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image

from adapters.fakes.music_analysis_store import InMemoryMusicAnalysisStore
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from adapters.render.sheet_drawing import FRAME_STROKE
from adapters.render.storyboard_pdf import ReportlabStoryboardRenderer
from application.errors import NotFound
from application.ports.media_store import LocatedFile
from application.ports.storyboard_renderer import Paper, SheetLayout
from application.render.render_storyboard import (
    RenderStoryboard, RenderStoryboardHandler, RenderStoryboardPage, RenderStoryboardPageHandler,
)
from bench.storyboard import seed
from domain.music import AnalysisStatus, BeatGrid, MusicAnalysis

STROKE = np.array([round(channel * 255) for channel in FRAME_STROKE])


def frames_in(png: bytes, *, min_width: int = 80) -> int:
    """Panel frames on a page: each is a dark grey rectangle, found by its long top and bottom edges (the header's
    rule runs across the page, text never runs that long, takes in these tests are in light colours)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    grey = (pixels.max(axis=2) - pixels.min(axis=2)) <= 12
    mask = grey & (pixels.max(axis=2) <= 200) & (pixels.min(axis=2) >= STROKE.min() - 30)
    max_width = mask.shape[1] * 0.45
    edges, previous = 0, []
    for row in range(mask.shape[0]):
        padded = np.concatenate(([0], mask[row].astype(np.int8), [0]))
        changes = np.flatnonzero(np.diff(padded))
        runs = [int(start) for start, end in zip(changes[::2], changes[1::2]) if min_width <= end - start <= max_width]
        edges += sum(all(abs(start - seen) > 4 for seen in previous) for start in runs)  # an edge begins here
        previous = runs
    return edges // 2


def light_images(folder: Path) -> list[Path]:
    """Takes in light colours, so the dark frame drawn over their border stays the frame's colour."""
    paths = []
    for index, colour in enumerate([(250, 200, 120), (150, 220, 250), (200, 250, 160)]):
        paths.append(folder / f"take{index}.png")
        Image.new("RGB", (800, 450), colour).save(paths[-1])
    return paths


def sheet_world(tmp_path: Path, *, scenes: int, clips: int) -> tuple[InMemoryStore, RenderStoryboardHandler]:
    store = InMemoryStore()
    seed(store, scenes, clips, light_images(tmp_path))
    renderer = ReportlabStoryboardRenderer(lambda key: LocatedFile(Path(key), "image/png"))
    return store, RenderStoryboardHandler(InMemoryProjectBoardReader(store), renderer, InMemoryMusicAnalysisStore())


async def test_a_full_page_holds_its_panels_and_the_last_page_the_rest(tmp_path: Path) -> None:
    _, sheet = sheet_world(tmp_path, scenes=2, clips=8)  # 16 clips: 12 on page 1, 4 on page 2
    page = RenderStoryboardPageHandler(sheet)
    first = await page(RenderStoryboardPage("bench", 1, SheetLayout.THREE_BY_FOUR, Paper.A4))
    last = await page(RenderStoryboardPage("bench", 2, SheetLayout.THREE_BY_FOUR, Paper.A4))
    assert first.pages == 2
    image = np.asarray(Image.open(io.BytesIO(first.png)).convert("L"))
    assert image.std() > 20 and (image < 250).mean() > 0.2 and (image < 100).mean() > 0.01  # not blank
    assert (frames_in(first.png), frames_in(last.png)) == (12, 4)
    with pytest.raises(NotFound):
        await page(RenderStoryboardPage("bench", 3))


@pytest.mark.parametrize(("layout", "paper", "pages"), [(SheetLayout.TWO_BY_THREE, Paper.LETTER, 3),
                                                         (SheetLayout.THREE_BY_THREE, Paper.A4, 2)])
async def test_each_layout_fills_its_grid(tmp_path: Path, layout: SheetLayout, paper: Paper, pages: int) -> None:
    _, sheet = sheet_world(tmp_path, scenes=1, clips=layout.columns * layout.rows + 1)
    shown = await RenderStoryboardPageHandler(sheet)(RenderStoryboardPage("bench", 1, layout, paper))
    assert shown.pages == 2 and frames_in(shown.png) == layout.columns * layout.rows
    width, height = Image.open(io.BytesIO(shown.png)).size
    assert round(width / height, 2) == {Paper.A4: 0.71, Paper.LETTER: 0.77}[paper]


def page_text(pdf: bytes, page: int) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].get_textpage().get_text_range()
    finally:
        document.close()


async def test_greek_cyrillic_and_accents_are_text_with_their_own_glyphs(tmp_path: Path) -> None:
    _, sheet = sheet_world(tmp_path, scenes=1, clips=4)
    text = page_text((await sheet(RenderStoryboard("bench"))).content, 0)
    for expected in ("Storyboard — Ελληνικά, Русский, Français", "Plan séquence à l’aube 1", "Χορός στη βροχή 2",
                     "Ночной проспект 3", "Scene 1: Ρεφρέν / Припев", "Σ’ αγαπώ, я помню, je t’aime",
                     "00:00:03:00", "2.75 s", "Page 1 of 1", "Ночь – Nuit.mp3", "tempo not analysed"):
        assert expected in text, expected


async def test_the_header_shows_the_tempo_of_the_analysed_song(tmp_path: Path) -> None:
    store, sheet = sheet_world(tmp_path, scenes=1, clips=2)
    project = store.tables["projects"]["bench"]
    analysis = MusicAnalysis("bench", project.music.key, AnalysisStatus.READY, datetime(2026, 1, 1, tzinfo=UTC),
                             grid=BeatGrid(duration_s=6.0, tempo_bpm=123.4, beats=(0.5, 1.0)))
    await sheet.analyses.put(analysis)  # type: ignore[union-attr]
    assert "123.4 BPM" in page_text((await sheet(RenderStoryboard("bench"))).content, 0)


async def test_an_empty_board_is_one_page_with_its_header(tmp_path: Path) -> None:
    store, sheet = sheet_world(tmp_path, scenes=0, clips=0)
    result = await sheet(RenderStoryboard("bench"))
    assert result.pages == 1 and "Page 1 of 1" in page_text(result.content, 0)
    with pytest.raises(NotFound):
        await sheet(RenderStoryboard("nope"))
