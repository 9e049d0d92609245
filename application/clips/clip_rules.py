"""Checks shared by the clip use cases that touch a scene's timeline or a character."""

from collections.abc import Iterable

from application.errors import ConcurrentChange, Conflict
from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.clip import Clip, ensure_no_overlap
from domain.errors import RuleViolation


async def guarded_clip(uow: UnitOfWork, clip_id: str, *also: str) -> Clip:
    """The clip, once its scene (and the scenes `also` named) are guarded: the scene's clips hold still.

    The clip is read again after the guard: it may have moved to another scene meanwhile.
    """
    clip = await require(uow.clips, clip_id, "Clip")
    await guard_scenes(uow, {clip.scene_id, *also})
    again = await require(uow.clips, clip_id, "Clip")
    if again.scene_id != clip.scene_id:
        raise ConcurrentChange(f"clip '{clip_id}' moved to another scene meanwhile")
    return again


async def guard_scenes(uow: UnitOfWork, scene_ids: Iterable[str]) -> None:
    """In id order, so that two units of work guarding the same scenes meet in the same order."""
    for scene_id in sorted(set(scene_ids)):
        await uow.guard(await require(uow.scenes, scene_id, "Scene"))


async def ensure_fits(uow: UnitOfWork, clip: Clip) -> None:
    """A main clip overlaps no other main clip of its scene."""
    if clip.is_alternate:
        return
    scene_clips = await uow.clips.main_of_scene(clip.scene_id)
    try:
        ensure_no_overlap(clip, scene_clips)
    except RuleViolation as exc:
        raise Conflict(str(exc)) from exc


async def ensure_character_usable(uow: UnitOfWork, character_id: str | None, project_id: str) -> None:
    """A clip may use a global character or one of its own project."""
    if character_id is None:
        return
    character = await require(uow.characters, character_id, "Character")
    if character.project_id not in (None, project_id):
        raise Conflict(f"character '{character_id}' belongs to another project")
