"""Render the storyboard sheet of a 200-clip board (every layout) and a page as PNG; print timings and a JSON summary.

    python -m bench.storyboard [--scenes 10] [--clips 20] [--rounds 3]
    python -m bench.storyboard --rounds 1 --save docs/storyboard-sheet.png --tempo 118   # the README's picture

The board is held in the in-memory store: scenes of clips with Latin, Greek and Cyrillic names, lyrics on every
other clip, long prompts, and a selected 1024x576 PNG take (each its own file) on two clips in three (the others show their prompt). The first
sheet decodes every take (`pdf_cold_s`); the layouts after it find them shrunk in the renderer's cache.
The issue's target: a 200-clip sheet under 5 s.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from adapters.fakes.music_analysis_store import InMemoryMusicAnalysisStore
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from adapters.render.storyboard_pdf import ReportlabStoryboardRenderer
from application.ports.media_store import LocatedFile
from application.ports.storyboard_renderer import Paper, SheetLayout
from application.render.render_storyboard import (
    RenderStoryboard, RenderStoryboardHandler, RenderStoryboardPage, RenderStoryboardPageHandler,
)
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.music import AnalysisStatus, BeatGrid, MusicAnalysis
from domain.project import Project
from domain.scene import Scene

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NAMES = ("Plan séquence à l’aube", "Χορός στη βροχή", "Ночной проспект", "Crowd surf — slow motion")
PROMPT = ("wide shot, neon-lit street after rain, reflections on asphalt, the singer walks towards the camera, "
          "handheld, 35 mm, shallow depth of field, teal and orange grade, light fog, cinematic")


def make_images(directory: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        image = Image.new("RGB", (1024, 576), ((index * 67) % 256, (index * 131) % 256, (index * 29) % 256))
        draw = ImageDraw.Draw(image)
        draw.ellipse((312 + index * 7 % 200, 88, 712, 488), fill=(240, 230, 200))
        path = directory / f"take{index}.png"
        image.save(path)
        paths.append(path)
    return paths


def clip(scene_id: str, index: int, image: str | None) -> Clip:
    clip_id = f"{scene_id}-c{index:03d}"
    takes = (GeneratedContent(id=f"img-{clip_id}", kind=ContentKind.IMAGE, url="/x", created_at=T0, selected=True,
                              path=image),) if image else ()
    return Clip(id=clip_id, scene_id=scene_id, project_id="bench", name=f"{NAMES[index % 4]} {index + 1}",
                timeline_position=index * 3.0, length=2.5 + index % 3 * 0.25, created_at=T0, updated_at=T0,
                lyrics="Σ’ αγαπώ, я помню, je t’aime" if index % 2 == 0 else None, image_prompt=PROMPT,
                generated_images=takes)


def seed(store: InMemoryStore, scenes: int, clips: int, images: list[Path]) -> None:
    music = MusicTrack(key="projects/bench/music/song.mp3", url="/x", content_type="audio/mpeg", format="mp3",
                       size=1, duration_s=scenes * clips * 3.0, original_name="Ночь – Nuit.mp3")
    store.tables["projects"]["bench"] = Project(id="bench", name="Storyboard — Ελληνικά, Русский, Français",
                                                description=None, music_file=music.key, created_at=T0,
                                                updated_at=T0, music=music)
    for order in range(scenes):
        scene = Scene(id=f"s{order:03d}", project_id="bench", name=f"Scene {order + 1}: Ρεφρέν / Припев",
                      description=None, order=order, created_at=T0, updated_at=T0)
        store.tables["scenes"][scene.id] = scene
        for index in range(clips):
            image = str(images[(order + index) % len(images)]) if (order + index) % 3 else None
            placed = clip(scene.id, index, image)
            store.tables["clips"][placed.id] = placed


async def timed(call, rounds: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    timings, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = await call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), min(timings), result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10)
    parser.add_argument("--clips", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", type=Path, default=None, help="write page 1 (3x4, A4) as a PNG here")
    parser.add_argument("--tempo", type=float, default=None, help="the song's analysed tempo, shown in the header")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = InMemoryStore()
        seed(store, args.scenes, args.clips, make_images(Path(folder), args.scenes * args.clips))
        renderer = ReportlabStoryboardRenderer(lambda key: LocatedFile(Path(key), "image/png"))
        analyses = InMemoryMusicAnalysisStore()
        if args.tempo is not None:
            music = store.tables["projects"]["bench"].music
            await analyses.put(MusicAnalysis("bench", music.key, AnalysisStatus.READY, T0,
                                             grid=BeatGrid(music.duration_s, tempo_bpm=args.tempo)))
        sheet = RenderStoryboardHandler(InMemoryProjectBoardReader(store), renderer, analyses)
        summary: dict[str, float | int] = {"clips": args.scenes * args.clips}
        started = time.perf_counter()  # the first sheet decodes every take; later ones find them shrunk already
        await sheet(RenderStoryboard("bench", SheetLayout.THREE_BY_FOUR, Paper.A4))
        summary["pdf_cold_s"] = round(time.perf_counter() - started, 3)
        print(f"first 3x4 sheet (every take decoded): {summary['pdf_cold_s']:.3f} s")
        print(f"{'layout':<8} {'median s':>9} {'best s':>8} {'pages':>6} {'KiB':>7}")
        for layout in SheetLayout:
            median, best, result = await timed(lambda: sheet(RenderStoryboard("bench", layout, Paper.A4)),
                                               args.rounds)
            print(f"{layout.value:<8} {median:>9.3f} {best:>8.3f} {result.pages:>6} {len(result.content) / 1024:>7.0f}")
            summary[f"pdf_{layout.value}_s"] = round(median, 3)
        page = RenderStoryboardPageHandler(sheet)
        median, _, result = await timed(lambda: page(RenderStoryboardPage("bench", 1)), args.rounds)
        print(f"page 1 as PNG (PDF included): {median:.3f} s")
        summary["png_page_s"] = round(median, 3)
        if args.save is not None:
            args.save.write_bytes(result.png)
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
