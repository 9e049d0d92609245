"""Duplicate a project: its scenes, clips, alternates, characters, templates and media, under new ids."""

from collections.abc import Callable
from datetime import datetime

from attrs import define, evolve, field, frozen

from application.clips.clip_copies import ensure_no_overlaps
from application.errors import ConcurrentChange
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork
from application.projects.media_copies import MediaCopies
from application.retries import retried_on_lost_race
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.validation import optional, rule_of


@frozen
class DuplicateProject:
    project_id: str
    name: str | None = field(default=None, validator=optional(rule_of(Project, "name")))


class _IdMap(dict[str, str]):
    """Old id -> new id; unknown ids (e.g. global characters) map to themselves."""

    def of(self, old: str | None) -> str | None:
        return None if old is None else self.get(old, old)


@define
class DuplicateProjectHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    media: MediaStore

    @retried_on_lost_race
    async def __call__(self, cmd: DuplicateProject) -> Project:
        now, copy_id = self.clock.now(), self.ids.new_id()
        copies = MediaCopies(self.media, copy_id)
        try:
            async with self.uow:
                source = await require(self.uow.projects, cmd.project_id, "Project")
                music = await copies.music(source.music)
                copy = Project(
                    id=copy_id, name=cmd.name or f"{source.name} (copy)"[:200], description=source.description,
                    music_file=music.key if music else source.music_file, music=music,
                    created_at=now, updated_at=now,
                )
                await self.uow.projects.add(copy)
                self.uow.board_changed(copy.id)
                await self._copy_children(source.id, copy.id, now, copies)
                await self.uow.commit()
        except BaseException:
            await self.media.delete_project(copy_id)
            raise
        return copy

    async def _copy_children(self, source_id: str, copy_id: str, now: datetime, copies: MediaCopies) -> None:
        ids = _IdMap()
        fresh = self._renamer(ids)
        characters = [evolve(c, id=fresh(c.id), project_id=copy_id, created_at=now, updated_at=now, version=1)
                      for c in await self.uow.characters.of_project(source_id)]
        templates = [evolve(t, id=fresh(t.id), project_id=copy_id, created_at=now, updated_at=now, version=1)
                     for t in await self.uow.templates.of_project(source_id)]
        scenes = await self.uow.scenes.of_project(source_id)
        clips = await self.uow.clips.of_project(source_id)
        _ensure_consistent(scenes, clips)
        for item in [*scenes, *clips]:
            fresh(item.id)
        scene_copies = [evolve(s, id=ids[s.id], project_id=copy_id, parent_scene_id=ids.of(s.parent_scene_id),
                               created_at=now, updated_at=now, version=1) for s in scenes]
        clip_copies = [evolve(await copies.clip(c), id=ids[c.id], project_id=copy_id, scene_id=ids[c.scene_id],
                              parent_clip_id=ids.of(c.parent_clip_id), character_id=ids.of(c.character_id),
                              created_at=now, updated_at=now, version=1) for c in clips]
        await self.uow.characters.add_all(characters)
        await self.uow.templates.add_all(templates)
        await self.uow.scenes.add_all(scene_copies)
        await self.uow.clips.add_all(clip_copies)

    def _renamer(self, ids: _IdMap) -> Callable[[str], str]:
        def fresh(old: str) -> str:
            ids[old] = self.ids.new_id()
            return ids[old]

        return fresh


def _ensure_consistent(scenes: list[Scene], clips: list[Clip]) -> None:
    """The source keeps its rules; read without a transaction while it changed, it may not: read it again."""
    scene_ids, clip_ids = {None} | {s.id for s in scenes}, {None} | {c.id for c in clips}
    orders = sorted(s.order for s in scenes if not s.is_alternate)
    dangling = any(s.parent_scene_id not in scene_ids for s in scenes) or any(
        c.scene_id not in scene_ids or c.parent_clip_id not in clip_ids for c in clips)
    if orders != list(range(len(orders))) or dangling:
        raise ConcurrentChange("the project changed while it was copied")
    ensure_no_overlaps(clips)
