"""`storycanvas export` (an editing timeline) and `storycanvas bundle export|import` (a whole project)."""

from pathlib import Path

import click

from application.bundles.export_bundle import ExportBundle
from application.bundles.import_bundle import ImportBundle
from application.export.export_timeline import DEFAULT_FPS, ExportTimeline
from application.ports.timeline_exporter import ExportFormat
from entrypoints.cli.output import emit, json_option
from entrypoints.cli.runtime import attempt, fail, run

output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=False, path_type=Path),
                             required=True, help="The file to write.")


@click.command("export")
@click.argument("project_id")
@click.option("--format", "format_", type=click.Choice([f.value for f in ExportFormat]), required=True)
@click.option("--fps", default=DEFAULT_FPS, show_default=True, help="Frame rate: 24, 25, 29.97, 30, 60, ...")
@output_option
@json_option
def export(project_id: str, format_: str, fps: str, output: Path, as_json: bool) -> None:
    """Export a project's timeline for an editor (FCPXML, EDL, Resolve, OTIO or JSON)."""
    command = attempt(lambda: ExportTimeline(project_id=project_id, format=ExportFormat(format_), fps=fps))
    exported = run(lambda c: c.export_timeline()(command))
    _write(output, exported.content)
    result = {"project_id": project_id, "format": format_, "path": str(output), "size": len(exported.content)}
    emit(result, as_json, lambda r: f"wrote {r['path']} ({r['size']} bytes, {format_})")


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


@click.group()
def bundle() -> None:
    """Back a whole project up into one file, and restore it (under new ids)."""


@bundle.command("export")
@click.argument("project_id")
@output_option
@json_option
def export_bundle(project_id: str, output: Path, as_json: bool) -> None:
    """Write a project with its scenes, clips, characters, templates, music and takes into a zip."""
    written = run(lambda c: c.export_bundle()(ExportBundle(project_id=project_id, destination=output)))
    emit(written, as_json, lambda w: f"wrote {w.path}: {w.scenes} scene(s), {w.clips} clip(s), {w.files} file(s), "
                                     f"{w.size} bytes")


@bundle.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def import_bundle(source: Path, as_json: bool) -> None:
    """Import a bundle as a new project (the whole project or nothing); prints its id."""
    imported = run(lambda c: c.import_bundle()(ImportBundle(source=source)))
    emit(imported, as_json, lambda i: f"imported {i.name!r} as {i.project_id}: {i.scenes} scene(s), "
                                      f"{i.clips} clip(s), {i.files} file(s)")
