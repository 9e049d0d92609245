"""Snapping a scene through the use case over fakes: on any board and grid, snapping twice changes nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.comfyui.presets.catalog import BuiltinPresets
from adapters.fakes.music_analyser import steady_grid
from adapters.fakes.music_analysis_store import InMemoryMusicAnalysisStore
from application.clips.create_clip import CreateClip, CreateClipHandler
from application.music.snap_scene import SnapScene, SnapSceneHandler
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.scenes.create_scene import CreateScene, CreateSceneHandler
from domain.media import MusicTrack
from domain.music import MusicAnalysis, SnapUnit
from tests.unit.application.fakes import FakeWorld, run

SONG = MusicTrack(key="projects/p/music/song.wav", url="/song.wav", content_type="audio/wav", format="wav",
                  size=1, duration_s=120.0)
scenes = st.lists(st.lists(st.tuples(st.floats(0.0, 2.0), st.floats(0.1, 5.0)), min_size=1, max_size=5),
                  min_size=1, max_size=3)


async def board(world: FakeWorld, layout: list[list[tuple[float, float]]],
                bpm: float) -> tuple[list[str], SnapSceneHandler]:
    project = await world.handler(CreateProjectHandler)(CreateProject(name="song"))
    async with world.uow() as uow:
        await uow.projects.update((await uow.projects.get(project.id)).with_music(SONG, now=world.clock.now()))
        await uow.commit()
    analyses = InMemoryMusicAnalysisStore()
    grid = steady_grid(bpm, 120.0, first_beat_s=0.37)
    await analyses.put(MusicAnalysis.requested(project.id, SONG.key, now=world.clock.now())
                       .ready(grid, tracker="fake", now=world.clock.now()))
    scene_ids = []
    for clips in layout:
        scene = await world.handler(CreateSceneHandler)(CreateScene(project_id=project.id, name="s"))
        scene_ids.append(scene.id)
        position = 0.0
        for gap, length in clips:
            position += gap
            await world.handler(CreateClipHandler)(CreateClip(scene_id=scene.id, name="c", length=length,
                                                               timeline_position=position))
            position += length
    return scene_ids, SnapSceneHandler(world.uow(), analyses, BuiltinPresets(), world.clock)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes, st.floats(70.0, 190.0), st.sampled_from(list(SnapUnit)),
       st.sampled_from([None, "ltxv-t2v", "wan22-t2v"]))
def test_snapping_any_scene_twice_changes_nothing(layout, bpm, unit, model):
    async def scenario() -> None:
        world = FakeWorld()
        scene_ids, snap = await board(world, layout, bpm)
        for scene_id in scene_ids:
            once = await snap(SnapScene(scene_id=scene_id, to=unit, fit_model=model))
            twice = await snap(SnapScene(scene_id=scene_id, to=unit, fit_model=model))
            assert twice.moved == 0 and twice.clips == once.clips
            for left, right in zip(once.clips, once.clips[1:]):
                assert left.end <= right.timeline_position

    run(scenario())
