"""Quick edits of a board: `storycanvas scenes add|list|move` and `storycanvas clips add|list|move`."""

import click

from application.clips.create_clip import CreateClip
from application.clips.move_clip import MoveClip
from application.scenes.create_scene import CreateScene
from application.scenes.update_scene import SceneChanges, UpdateScene
from entrypoints.cli.output import emit, json_option, table
from entrypoints.cli.runtime import attempt, run


@click.group()
def scenes() -> None:
    """Add, list and reorder a project's scenes."""


@scenes.command("add")
@click.argument("project_id")
@click.argument("name")
@click.option("--description")
@click.option("--order", type=click.IntRange(0), help="Position (0 first); default: last.")
@json_option
def add_scene(project_id: str, name: str, description: str | None, order: int | None, as_json: bool) -> None:
    """Add a scene to a project; prints its id."""
    command = attempt(lambda: CreateScene(project_id=project_id, name=name, description=description, order=order))
    emit(run(lambda c: c.create_scene()(command)), as_json, lambda s: s.id)


@scenes.command("list")
@click.argument("project_id")
@json_option
def list_scenes(project_id: str, as_json: bool) -> None:
    """List a project's scenes in order (alternates after their scene)."""
    found = run(lambda c: c.list_project_scenes()(project_id))
    emit(found, as_json, lambda items: table(None, ["order", "id", "name", "alternate of"], [
        (s.order, s.id, s.name, s.parent_scene_id or "") for s in items]))


@scenes.command("move")
@click.argument("scene_id")
@click.argument("order", type=click.IntRange(0))
@json_option
def move_scene(scene_id: str, order: int, as_json: bool) -> None:
    """Move a scene to another position (0 first; past the end: last)."""
    command = attempt(lambda: UpdateScene(scene_id=scene_id, changes=SceneChanges(order=order)))
    emit(run(lambda c: c.update_scene()(command)), as_json, lambda s: f"scene {s.id} is now at {s.order}")


@click.group()
def clips() -> None:
    """Add, list and move the clips of a scene."""


@clips.command("add")
@click.argument("scene_id")
@click.argument("name")
@click.option("--length", type=float, default=5.0, show_default=True, help="Seconds.")
@click.option("--at", "position", type=float, help="Start on the scene's timeline, in seconds; default: after the last.")
@click.option("--lyrics")
@click.option("--image-prompt", default="")
@click.option("--video-prompt", default="")
@click.option("--character", "character_id", help="A character's id.")
@json_option
def add_clip(scene_id: str, name: str, length: float, position: float | None, lyrics: str | None, image_prompt: str,
             video_prompt: str, character_id: str | None, as_json: bool) -> None:
    """Add a clip to a scene; prints its id."""
    command = attempt(lambda: CreateClip(
        scene_id=scene_id, name=name, length=length, timeline_position=position, lyrics=lyrics,
        image_prompt=image_prompt, video_prompt=video_prompt, character_id=character_id))
    emit(run(lambda c: c.create_clip()(command)), as_json, lambda clip: clip.id)


@clips.command("list")
@click.argument("scene_id")
@json_option
def list_clips(scene_id: str, as_json: bool) -> None:
    """List a scene's clips by timeline position."""
    found = run(lambda c: c.list_scene_clips()(scene_id))
    emit(found, as_json, lambda items: table(None, ["at", "length", "id", "name", "takes", "prompt"], [
        (f"{x.timeline_position:g}s", f"{x.length:g}s", x.id, x.name + (" (alt)" if x.is_alternate else ""),
         len(x.generated_images) + len(x.generated_videos), x.image_prompt[:40]) for x in items]))


@clips.command("move")
@click.argument("clip_id")
@click.argument("position", type=float)
@click.option("--scene", "scene_id", help="Move it to this scene of the same project.")
@json_option
def move_clip(clip_id: str, position: float, scene_id: str | None, as_json: bool) -> None:
    """Move a clip to POSITION seconds on its scene's timeline (or another scene's)."""
    command = attempt(lambda: MoveClip(clip_id=clip_id, timeline_position=position, scene_id=scene_id))
    emit(run(lambda c: c.move_clip()(command)), as_json,
         lambda clip: f"clip {clip.id} is now at {clip.timeline_position:g}s of scene {clip.scene_id}")
