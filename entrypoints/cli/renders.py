"""`storycanvas storyboard` (a PDF sheet), `animatic` (a video of the cut) and `lyrics` (clips from a lyrics file)."""

import asyncio
import shutil
from pathlib import Path

import click
from rich.progress import Progress

from application.lyrics.import_lyrics import ImportLyrics
from application.ports.storyboard_renderer import Paper, SheetLayout
from application.render.render_storyboard import RenderStoryboard
from application.render.start_animatic import StartAnimatic
from domain.render_job import RenderStatus
from entrypoints.cli.exports import output_option
from entrypoints.cli.output import console, emit, json_option
from entrypoints.cli.runtime import attempt, fail, run
from entrypoints.container import Container

POLL_S = 0.25


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


@click.command()
@click.argument("project_id")
@click.option("--layout", type=click.Choice([layout.value for layout in SheetLayout]),
              default=SheetLayout.THREE_BY_FOUR.value, show_default=True, help="Panels per page, columns x rows.")
@click.option("--paper", type=click.Choice([paper.value for paper in Paper]), default=Paper.A4.value,
              show_default=True)
@output_option
@json_option
def storyboard(project_id: str, layout: str, paper: str, output: Path, as_json: bool) -> None:
    """Render a project's storyboard sheet as a PDF (one panel per main clip)."""
    command = RenderStoryboard(project_id, SheetLayout(layout), Paper(paper))
    sheet = run(lambda c: c.render_storyboard()(command))
    _write(output, sheet.content)
    result = {"project_id": project_id, "path": str(output), "pages": sheet.pages, "size": len(sheet.content)}
    emit(result, as_json, lambda r: f"wrote {r['path']} ({r['pages']} page(s), {r['size']} bytes)")


async def _rendered(container: Container, command: StartAnimatic, *, show: bool) -> Path:
    """Start the render here and follow its progress until it has ended; the file it made."""
    job = await container.start_animatic()(command)
    with Progress(console=console(), disable=not show) as progress:
        bar = progress.add_task("animatic", total=1.0)
        while job.active:
            await asyncio.sleep(POLL_S)
            job = await container.animatic_job()(command.project_id)
            progress.update(bar, completed=job.progress)
    await container.render_tasks().wait()
    if job.status is not RenderStatus.DONE:
        fail(f"the animatic failed: {job.error or job.status.value}")
    return (await container.locate_animatic()(command.project_id)).path


@click.command()
@click.argument("project_id")
@click.option("--fps", default="24", show_default=True)
@click.option("--width", type=int, default=1280, show_default=True)
@click.option("--height", type=int, default=720, show_default=True)
@click.option("--no-captions", is_flag=True, help="Leave the lyrics off the frames.")
@output_option
@json_option
def animatic(project_id: str, fps: str, width: int, height: int, no_captions: bool, output: Path,
             as_json: bool) -> None:
    """Render the cut as a video: each clip's selected take for its length, on the song."""
    command = attempt(lambda: StartAnimatic(project_id=project_id, fps=fps, width=width, height=height,
                                            captions=not no_captions))
    made = run(lambda c: _rendered(c, command, show=not as_json))
    try:
        shutil.copyfile(made, output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    result = {"project_id": project_id, "path": str(output), "size": output.stat().st_size}
    emit(result, as_json, lambda r: f"wrote {r['path']} ({r['size']} bytes)")


@click.command()
@click.argument("project_id")
@click.argument("lyrics_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scene", "scene_id", help="Into this scene; default: a new scene per section.")
@json_option
def lyrics(project_id: str, lyrics_file: Path, scene_id: str | None, as_json: bool) -> None:
    """Make a clip per lyrics line (LRC stamps time them), a scene per section."""
    try:
        data = lyrics_file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {lyrics_file}: {exc.strerror or exc}")
    command = ImportLyrics(project_id=project_id, data=data, file_name=lyrics_file.name, scene_id=scene_id)
    imported = run(lambda c: c.import_lyrics()(command))
    emit(imported, as_json, lambda i: f"{len(i.scenes)} scene(s), {len(i.clips)} clip(s) from {lyrics_file}")
