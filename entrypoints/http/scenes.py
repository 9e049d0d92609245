"""Scene routes."""

from aiohttp import web

from application.alternates_policy import AlternatesOnDelete
from application.scenes.create_scene import CreateScene
from application.scenes.create_scene_alternate import CreateSceneAlternate
from application.scenes.delete_scene import DeleteScene, ScenesDeleted
from application.scenes.update_scene import SceneChanges, UpdateScene
from domain.access import Role
from domain.scene import Scene
from entrypoints.http.operation import Operation, QueryParam
from entrypoints.http.request_parsing import query_enum, read_command
from entrypoints.http.responses import respond, use_cases

ALTERNATES = QueryParam("alternates", {"type": "string", "enum": [p.value for p in AlternatesOnDelete],
                                       "default": "delete"},
                        "What happens to the alternates of a deleted parent: deleted too, or the first promoted")


async def create_scene(request: web.Request) -> web.Response:
    command = await read_command(request, CreateScene)
    return respond(request, await use_cases(request).create_scene()(command), status=201)


async def list_project_scenes(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_project_scenes()(request.match_info["project_id"]))


async def get_scene(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_scene()(request.match_info["scene_id"]))


async def update_scene(request: web.Request) -> web.Response:
    changes = await read_command(request, SceneChanges)
    command = UpdateScene(scene_id=request.match_info["scene_id"], changes=changes)
    return respond(request, await use_cases(request).update_scene()(command))


async def delete_scene(request: web.Request) -> web.Response:
    policy = query_enum(request, "alternates", AlternatesOnDelete, AlternatesOnDelete.DELETE)
    command = DeleteScene(scene_id=request.match_info["scene_id"], alternates=policy)
    return respond(request, await use_cases(request).delete_scene()(command))


async def create_scene_alternate(request: web.Request) -> web.Response:
    command = await read_command(request, CreateSceneAlternate, scene_id=request.match_info["scene_id"])
    return respond(request, await use_cases(request).create_scene_alternate()(command), status=201)


BASE = "/api/v1/scenes"
OPERATIONS = [
    Operation("POST", BASE, create_scene, "Insert a scene (at `order`, else at the end)", "scenes",
              status=201, body=CreateScene, response=Scene, errors=(409,), creates="scene_id", role=Role.EDITOR),
    Operation("GET", BASE + "/project/{project_id}", list_project_scenes,
              "List a project's scenes by order, alternates after their parent", "scenes", response=list[Scene],
              role=Role.VIEWER),
    Operation("GET", BASE + "/{scene_id}", get_scene, "Get a scene", "scenes", response=Scene, role=Role.VIEWER),
    Operation("PUT", BASE + "/{scene_id}", update_scene, "Update a scene; `order` moves it", "scenes",
              body=SceneChanges, response=Scene, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/{scene_id}", delete_scene, "Delete a scene and its clips", "scenes",
              query=(ALTERNATES,), response=ScenesDeleted, errors=(409,), role=Role.EDITOR),
    Operation("POST", BASE + "/{scene_id}/alternates", create_scene_alternate,
              "Create an alternate of a scene", "scenes", status=201,
              body=CreateSceneAlternate, body_exclude=("scene_id",), response=Scene, errors=(409,),
              creates="scene_id", role=Role.EDITOR),
]
