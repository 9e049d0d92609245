"""`storycanvas projects list|show|create|rename|delete`."""

import click

from application.pagination import MAX_PAGE_SIZE
from application.ports.project_board_reader import ProjectBoard
from application.projects.create_project import CreateProject
from application.projects.delete_project import DeleteProject
from application.projects.update_project import ProjectChanges, UpdateProject
from domain.aspect_ratio import AspectRatio
from entrypoints.cli.output import emit, json_option, table
from entrypoints.cli.runtime import attempt, run


@click.group()
def projects() -> None:
    """Create, list, show, rename and delete projects."""


@projects.command("list")
@click.option("--limit", type=click.IntRange(1, MAX_PAGE_SIZE), default=100, show_default=True)
@click.option("--skip", type=click.IntRange(0), default=0)
@json_option
def list_projects(limit: int, skip: int, as_json: bool) -> None:
    """List projects, newest first."""
    page = run(lambda c: c.list_projects()(skip=skip, limit=limit))
    emit(page, as_json, lambda p: table(f"{p.total} project(s)", ["id", "name", "aspect", "updated"], [
        (x.id, x.name, x.aspect_ratio.value, x.updated_at.isoformat(timespec="seconds")) for x in p.items]))


@projects.command("show")
@click.argument("project_id")
@json_option
def show_project(project_id: str, as_json: bool) -> None:
    """Show a project's board: its scenes in order with their clips."""
    board = run(lambda c: c.get_project_board()(project_id))
    emit(board, as_json, _board_table)


def _board_table(board: ProjectBoard) -> object:
    rows = []
    for entry in board.scenes:
        scene = entry.scene
        order = f"{scene.order}" + (f"/alt {scene.alternate_number}" if scene.is_alternate else "")
        rows.append((order, scene.id, scene.name, "", "", ""))
        rows.extend(("", "", "", clip.id, f"{clip.name}{' (alt)' if clip.is_alternate else ''}",
                     f"{clip.timeline_position:g}s +{clip.length:g}s, {len(clip.generated_images)} image(s), "
                     f"{len(clip.generated_videos)} video(s)") for clip in entry.clips)
    project = board.project
    music = f", music {project.music.duration_s:.1f}s" if project.music else ""
    return table(f"{project.name} ({project.id}{music})", ["#", "scene", "name", "clip", "clip name", "timing"],
                 rows)


@projects.command("create")
@click.argument("name")
@click.option("--description", help="A longer text about the project.")
@click.option("--aspect-ratio", type=click.Choice([a.value for a in AspectRatio]), default=AspectRatio.WIDE.value,
              show_default=True)
@json_option
def create_project(name: str, description: str | None, aspect_ratio: str, as_json: bool) -> None:
    """Create a project; prints its id."""
    command = attempt(lambda: CreateProject(name=name, description=description, aspect_ratio=AspectRatio(aspect_ratio)))
    project = run(lambda c: c.create_project()(command))
    emit(project, as_json, lambda p: p.id)


@projects.command("rename")
@click.argument("project_id")
@click.argument("name")
@json_option
def rename_project(project_id: str, name: str, as_json: bool) -> None:
    """Give a project a new name."""
    command = attempt(lambda: UpdateProject(project_id=project_id, changes=ProjectChanges(name=name)))
    project = run(lambda c: c.update_project()(command))
    emit(project, as_json, lambda p: f"renamed {p.id} to {p.name!r}")


@projects.command("delete")
@click.argument("project_id")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@json_option
def delete_project(project_id: str, yes: bool, as_json: bool) -> None:
    """Delete a project with its scenes, clips, characters, templates, files and queued jobs."""
    if not yes:
        click.confirm(f"Delete project {project_id} and everything in it?", abort=True, err=True)
    deleted = run(lambda c: c.delete_project()(DeleteProject(project_id=project_id)))
    emit(deleted, as_json, lambda d: f"deleted {d.project_id}: {d.scenes} scene(s), {d.clips} clip(s), "
                                     f"{d.media_files} file(s), {d.jobs} job(s)")
