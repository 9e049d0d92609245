"""The repository ports' named finders: each one on the fake and on Mongo, with its order and its misses."""

from datetime import timedelta

from domain.character import Character
from domain.clip import Clip
from domain.comfyui_server import ComfyUIServer
from domain.generated_content import ContentKind
from domain.template import Template
from domain.user_workflow import UserWorkflow
from domain.video_provider import VideoProvider
from domain.workflow import WorkflowBinding
from tests.contract.test_repository import T0, project, scene


def clip(clip_id: str, scene_id: str, at: float, *, project_id: str = "p1", parent: str | None = None,
         number: int = 0, character: str | None = None) -> Clip:
    return Clip(id=clip_id, scene_id=scene_id, project_id=project_id, name="shot", timeline_position=at, length=1.0,
                created_at=T0, updated_at=T0, parent_clip_id=parent, alternate_number=number, character_id=character)


def ids(entities) -> list[str]:
    return [entity.id for entity in entities]


async def stored(backend, **tables) -> None:
    async with backend.new_uow() as uow:
        for table, entities in tables.items():
            await getattr(uow, table).add_all(entities)
        await uow.commit()


async def test_projects_are_listed_newest_first_ties_by_id_a_page_at_a_time(backend):
    await stored(backend, projects=[project("b"), project("a"), project("c", minutes=5), project("d", minutes=-5)])
    async with backend.new_uow() as uow:
        listing = uow.projects.listed()
        assert ids(await listing.items()) == ["c", "a", "b", "d"]
        assert ids(await listing.items(skip=1, limit=2)) == ["a", "b"]
        assert await listing.items(skip=4, limit=1) == []
        assert await listing.total() == 4


async def test_scenes_of_a_project_by_order_then_alternate_number(backend):
    await stored(backend, scenes=[scene("a", 1), scene("b", 0), scene("b2", 0, parent="b", number=2),
                                  scene("b1", 0, parent="b", number=1), scene("x", 0, project_id="p2")])
    async with backend.new_uow() as uow:
        assert ids(await uow.scenes.of_project("p1")) == ["b", "b1", "b2", "a"]
        assert ids(await uow.scenes.alternates_of("b")) == ["b1", "b2"]
        assert await uow.scenes.alternates_of("a") == []
        assert await uow.scenes.of_project("nobody") == []
        assert await uow.scenes.delete_of_project("p1") == 4
        assert ids(await uow.scenes.of_project("p2")) == ["x"]


async def test_clips_by_scene_project_parent_and_character_on_the_timeline(backend):
    await stored(backend, clips=[
        clip("late", "s1", 5.0), clip("early", "s1", 1.0, character="ava"),
        clip("alt", "s1", 1.0, parent="early", number=1), clip("other", "s2", 0.0, character="ava"),
        clip("elsewhere", "s9", 0.0, project_id="p2"),
    ])
    async with backend.new_uow() as uow:
        assert ids(await uow.clips.of_scene("s1")) == ["early", "alt", "late"]
        assert ids(await uow.clips.main_of_scene("s1")) == ["early", "late"]
        assert ids(await uow.clips.of_scenes(["s2", "s1"])) == ["other", "early", "alt", "late"]
        assert await uow.clips.of_scenes([]) == []
        assert ids(await uow.clips.alternates_of("early")) == ["alt"]
        assert ids(await uow.clips.of_project("p1")) == ["other", "early", "alt", "late"]
        assert ids(await uow.clips.using_character("ava")) == ["other", "early"]
        assert await uow.clips.using_character("nobody") == []


async def test_clips_are_deleted_by_scenes_and_by_project(backend):
    await stored(backend, clips=[clip("a", "s1", 0.0), clip("b", "s2", 0.0), clip("c", "s3", 0.0),
                                 clip("d", "s9", 0.0, project_id="p2")])
    async with backend.new_uow() as uow:
        assert await uow.clips.delete_of_scenes(["s1", "s2"]) == 2
        assert await uow.clips.delete_of_scenes([]) == 0
        assert await uow.clips.delete_of_project("p1") == 1
        assert ids(await uow.clips.of_project("p2")) == ["d"]


def character(character_id: str, name: str, project_id: str | None) -> Character:
    return Character(id=character_id, name=name, created_at=T0, updated_at=T0, project_id=project_id)


def template(template_id: str, name: str, project_id: str | None) -> Template:
    return Template(id=template_id, name=name, created_at=T0, updated_at=T0, project_id=project_id)


async def test_characters_and_templates_by_name_all_or_of_one_project(backend):
    await stored(backend, characters=[character("c1", "Zoe", "p1"), character("c2", "Ava", None),
                                      character("c3", "Max", "p1"), character("c4", "Bo", "p2")],
                 templates=[template("t1", "wide", "p1"), template("t2", "close", None), template("t3", "aerial", "p1")])
    async with backend.new_uow() as uow:
        assert ids(await uow.characters.all()) == ["c2", "c4", "c3", "c1"]
        assert ids(await uow.characters.of_project("p1")) == ["c3", "c1"]
        assert ids(await uow.characters.listed().items(skip=1, limit=2)) == ["c4", "c3"]
        assert (ids(await uow.characters.listed("p1").items()), await uow.characters.listed("p1").total()) == (
            ["c3", "c1"], 2)
        assert ids(await uow.templates.of_project("p1")) == ["t3", "t1"]
        assert ids(await uow.templates.listed().items()) == ["t3", "t2", "t1"]
        assert await uow.templates.listed("p9").total() == 0
        assert await uow.characters.delete_of_project("p1") == 2
        assert await uow.templates.delete_of_project("p1") == 2
        assert ids(await uow.characters.all()) == ["c2", "c4"]
        assert ids(await uow.templates.listed().items()) == ["t2"]


def comfyui_server(server_id: str, name: str, url: str) -> ComfyUIServer:
    return ComfyUIServer(id=server_id, name=name, url=url, created_at=T0, updated_at=T0)


async def test_comfyui_servers_all_by_name_and_the_one_at_a_url(backend):
    await stored(backend, comfyui_servers=[comfyui_server("s1", "zeta", "http://a:8188"),
                                           comfyui_server("s2", "alpha", "http://b:8188")])
    async with backend.new_uow() as uow:
        assert ids(await uow.comfyui_servers.all()) == ["s2", "s1"]
        assert ids(await uow.comfyui_servers.with_url("http://b:8188")) == ["s2"]
        assert await uow.comfyui_servers.with_url("http://c:8188") == []


def provider(provider_id: str, minutes: int) -> VideoProvider:
    at = T0 + timedelta(minutes=minutes)
    return VideoProvider(id=provider_id, name="sim", base_url="http://127.0.0.1:9/v1", created_at=at, updated_at=at)


async def test_video_providers_oldest_first(backend):
    await stored(backend, video_providers=[provider("v1", 5), provider("v2", 0), provider("v3", 9)])
    async with backend.new_uow() as uow:
        assert ids(await uow.video_providers.all()) == ["v2", "v1", "v3"]


def workflow(workflow_id: str, name: str) -> UserWorkflow:
    graph = {"7": {"class_type": "SaveImage", "inputs": {}}}
    return UserWorkflow(id=workflow_id, name=name, kind=ContentKind.IMAGE, workflow=graph,
                        binding=WorkflowBinding(output_node="7", inputs={}), created_at=T0, updated_at=T0)


async def test_workflows_all_and_listed_by_name(backend):
    await stored(backend, workflows=[workflow("w1", "upscale"), workflow("w2", "flux"), workflow("w3", "sdxl")])
    async with backend.new_uow() as uow:
        assert ids(await uow.workflows.all()) == ["w2", "w3", "w1"]
        assert ids(await uow.workflows.listed().items(skip=2)) == ["w1"]
        assert await uow.workflows.listed().total() == 3
