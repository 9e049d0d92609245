"""Random boards built through the use cases, for property tests."""

from hypothesis import strategies as st

from application.characters.create_character import CreateCharacter, CreateCharacterHandler
from application.clips.create_clip import CreateClip, CreateClipHandler
from application.clips.create_clip_alternate import CreateClipAlternate, CreateClipAlternateHandler
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.scenes.create_scene import CreateScene, CreateSceneHandler
from application.scenes.create_scene_alternate import CreateSceneAlternate, CreateSceneAlternateHandler
from application.templates.create_template import CreateTemplate, CreateTemplateHandler
from domain.project import Project
from tests.unit.application.fakes import FakeWorld

# per scene: (clip count, alternates of the first clip, alternates of the scene)
boards = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2), st.integers(0, 2)), max_size=5)


async def build_board(world: FakeWorld, shape: list[tuple[int, int, int]], *, characters: int = 1) -> Project:
    project = await world.handler(CreateProjectHandler)(CreateProject(name="song"))
    character_ids = [
        (await world.handler(CreateCharacterHandler)(CreateCharacter(name=f"c{i}", project_id=project.id))).id
        for i in range(characters)
    ]
    await world.handler(CreateTemplateHandler)(CreateTemplate(name="t", project_id=project.id))
    for clips, clip_alternates, scene_alternates in shape:
        scene = await world.handler(CreateSceneHandler)(CreateScene(project_id=project.id, name="s"))
        for index in range(clips):
            clip = await world.handler(CreateClipHandler)(CreateClip(
                scene_id=scene.id, name=f"clip{index}", length=1.5,
                character_id=character_ids[index % len(character_ids)] if character_ids else None,
            ))
            if index == 0:
                for _ in range(clip_alternates):
                    await world.handler(CreateClipAlternateHandler)(CreateClipAlternate(clip_id=clip.id))
        for _ in range(scene_alternates):
            await world.handler(CreateSceneAlternateHandler)(CreateSceneAlternate(scene_id=scene.id))
    return project
