"""Snap a scene's clips to the song's beats or bars, lengths optionally fitted to a video model's frame counts."""

from attrs import define, evolve, frozen

from application.errors import Conflict
from application.lookups import require
from application.music.queries import ready_grid
from application.ports.clock import Clock
from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.music_analysis_store import MusicAnalysisStore
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.clip import Clip, ensure_no_overlap
from domain.errors import InvalidValue
from domain.music import SnapUnit
from domain.music_snap import FrameFit, Span, length_to, scene_starts, snap_spans


@frozen
class SnapScene:
    scene_id: str
    to: SnapUnit = SnapUnit.BEAT
    fit_model: str | None = None  # a video preset id: lengths become frame counts it can generate


@frozen
class SnappedScene:
    scene_id: str
    to: SnapUnit
    scene_start_s: float  # where the scene starts in the cut (and so in the song)
    moved: int  # how many clips changed
    clips: tuple[Clip, ...]  # the scene's main clips, snapped


@define
class SnapSceneHandler:
    uow: UnitOfWork
    analyses: MusicAnalysisStore
    presets: ModelPresetCatalog
    clock: Clock

    @retried_on_lost_race
    async def __call__(self, cmd: SnapScene) -> SnappedScene:
        fit = self._fit(cmd.fit_model)
        async with self.uow:
            scene = await require(self.uow.scenes, cmd.scene_id, "Scene")
            await self.uow.guard(scene)
            grid = await ready_grid(self.analyses, await require(self.uow.projects, scene.project_id, "Project"))
            times = grid.times(cmd.to)
            if not times:
                raise Conflict(f"The song's analysis found no {cmd.to.value}s to snap to")
            start, mains = await self._scene_in_cut(scene.id, scene.project_id)
            snapped = self._snapped(mains, start, times, fit)
            changed = [clip for clip, old in zip(snapped, mains) if clip != old]
            for clip in snapped:
                ensure_no_overlap(clip, snapped)
            stored = {clip.id: clip for clip in await self.uow.clips.update_all(changed)}
            await self.uow.commit()
        return SnappedScene(scene_id=scene.id, to=cmd.to, scene_start_s=start, moved=len(changed),
                            clips=tuple(stored.get(clip.id, clip) for clip in snapped))

    def _fit(self, preset_id: str | None) -> FrameFit | None:
        if preset_id is None:
            return None
        preset = self.presets.get(preset_id)
        if preset is None or preset.frame_rule is None or not preset.defaults.fps:
            raise InvalidValue("fit_model", f"'{preset_id}' is not a video model preset")
        return FrameFit(rule=preset.frame_rule, fps=preset.defaults.fps)

    async def _scene_in_cut(self, scene_id: str, project_id: str) -> tuple[float, list[Clip]]:
        scenes = await self.uow.scenes.of_project(project_id)
        clips = await self.uow.clips.of_project(project_id)
        starts = scene_starts([(s, [c for c in clips if c.scene_id == s.id]) for s in scenes])
        if scene_id not in starts:
            raise Conflict("An alternate scene is not in the cut; snap the main scene")
        mains = sorted((c for c in clips if c.scene_id == scene_id and not c.is_alternate),
                       key=lambda clip: clip.timeline_position)
        return starts[scene_id], mains

    def _snapped(self, mains: list[Clip], start: float, times: tuple[float, ...], fit: FrameFit | None) -> list[Clip]:
        spans = [Span(start + clip.timeline_position, start + clip.end) for clip in mains]
        now = self.clock.now()
        snapped = []
        for clip, span in zip(mains, snap_spans(spans, times, not_before=start, fit=fit)):
            position, end = round(span.start - start, 6), round(span.end - start, 6)
            length = length_to(position, end)
            if (position, length) == (clip.timeline_position, clip.length):
                snapped.append(clip)
            else:
                snapped.append(evolve(clip, timeline_position=position, length=length, updated_at=now))
        return snapped
