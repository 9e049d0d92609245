"""Lay synced lyrics out on the board: one clip per line at its time, in one scene or in new scenes by section."""

from collections.abc import Sequence

from attrs import define, frozen

from application.clips.clip_rules import ensure_fits
from application.errors import Conflict, NotFound
from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.clip import Clip
from domain.lyrics import read_lyrics
from domain.lyrics_layout import PlannedClip, PlannedScene, plan
from domain.music_snap import length_to, scene_starts
from domain.ordering import main_sequence
from domain.project import Project
from domain.scene import Scene


@frozen
class ImportLyrics:
    project_id: str
    data: bytes
    file_name: str | None = None
    scene_id: str | None = None  # None: new scenes after the last one, one per section


@frozen
class ImportedLyrics:
    scenes: tuple[Scene, ...]  # the scenes created (none when importing into a scene)
    clips: tuple[Clip, ...]


@define
class ImportLyricsHandler:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, cmd: ImportLyrics) -> ImportedLyrics:
        sections = read_lyrics(cmd.data, cmd.file_name)
        return await self._lay_out(cmd, sections)

    @retried_on_lost_race
    async def _lay_out(self, cmd: ImportLyrics, sections: Sequence) -> ImportedLyrics:
        async with self.uow:
            project = await require(self.uow.projects, cmd.project_id, "Project")
            planned = plan(sections, song_end=project.music.duration_s if project.music else None)
            if cmd.scene_id is None:
                result = await self._into_new_scenes(project, planned)
            else:
                result = await self._into_scene(project, cmd.scene_id, planned)
            await self.uow.commit()
        return result

    async def _board_starts(self, project_id: str) -> tuple[list[Scene], dict[str, float], float]:
        scenes = await self.uow.scenes.of_project(project_id)
        clips = await self.uow.clips.of_project(project_id)
        grouped = [(scene, [clip for clip in clips if clip.scene_id == scene.id]) for scene in scenes]
        starts = scene_starts(grouped)
        end = max((starts[s.id] + max((c.end for c in cs if not c.is_alternate), default=0.0)
                   for s, cs in grouped if s.id in starts), default=0.0)
        return scenes, starts, end

    async def _into_scene(self, project: Project, scene_id: str, planned: list[PlannedScene]) -> ImportedLyrics:
        scene = await require(self.uow.scenes, scene_id, "Scene")
        if scene.project_id != project.id:
            raise NotFound("Scene", scene_id)
        await self.uow.guard(scene)
        _, starts, _ = await self._board_starts(project.id)
        if scene.id not in starts:
            raise Conflict("Lyrics go into a main scene; an alternate scene is not in the cut")
        lines = [clip for entry in planned for clip in entry.clips]
        clips = [self._clip(scene, line, starts[scene.id]) for line in lines]
        return ImportedLyrics(scenes=(), clips=tuple(await self._placed(clips)))

    async def _into_new_scenes(self, project: Project, planned: list[PlannedScene]) -> ImportedLyrics:
        await self.uow.guard(project)
        scenes, _, offset = await self._board_starts(project.id)
        order = len(main_sequence(scenes))
        made, clips = [], []
        for index, entry in enumerate(planned):
            scene = self._scene(project, entry, order + index, index)
            made.append(scene)
            clips += [self._clip(scene, line, offset) for line in entry.clips]
            offset = max(line.end for line in entry.clips)
        await self.uow.scenes.add_all(made)
        return ImportedLyrics(scenes=tuple(made), clips=tuple(await self._placed(clips)))

    async def _placed(self, clips: list[Clip]) -> list[Clip]:
        for clip in clips:
            await ensure_fits(self.uow, clip)
            await self.uow.clips.add(clip)
        return clips

    def _scene(self, project: Project, entry: PlannedScene, order: int, index: int) -> Scene:
        now = self.clock.now()
        return Scene(id=self.ids.new_id(), project_id=project.id, name=entry.name or f"Lyrics {index + 1}",
                     description=None, order=order, created_at=now, updated_at=now)

    def _clip(self, scene: Scene, line: PlannedClip, scene_start: float) -> Clip:
        position = round(line.start - scene_start, 6)
        if position < 0:
            raise Conflict(f"Line {line.line} of the lyrics ({line.start:.3f} s) comes before the start of scene "
                           f"'{scene.name}' in the cut ({scene_start:.3f} s)")
        now, length = self.clock.now(), length_to(position, round(line.end - scene_start, 6))
        return Clip(id=self.ids.new_id(), scene_id=scene.id, project_id=scene.project_id, name=line.name or "Lyrics",
                    timeline_position=position, length=length, lyrics=line.text, created_at=now, updated_at=now)
