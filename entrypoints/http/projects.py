"""Project routes."""

from aiohttp import ETag, web

from application.projects.create_project import CreateProject
from application.projects.delete_project import DeleteProject, ProjectDeleted
from application.projects.duplicate_project import DuplicateProject
from application.projects.update_project import ProjectChanges, UpdateProject
from domain.access import Role
from domain.project import Project
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf
from entrypoints.http.request_parsing import query_int, read_command
from entrypoints.http.responses import json_body, respond, use_cases
from entrypoints.http.typedefs import BOARD_RESPONSES

BOARD_VERSION = {"type": "integer", "minimum": 0,
                 "description": "Goes up with every change to the project, its scenes, clips and takes"}
SCENE_WITH_CLIPS = {"allOf": [
    {"$ref": "#/components/schemas/Scene"},
    {"type": "object", "required": ["clips"], "properties": {
        "clips": {"type": "array", "items": {"$ref": "#/components/schemas/Clip"}}}},
]}
BOARD_SCHEMA = {
    "allOf": [
        {"$ref": "#/components/schemas/Project"},
        {"type": "object", "required": ["board_version", "scenes"], "properties": {
            "board_version": BOARD_VERSION, "scenes": {"type": "array", "items": SCENE_WITH_CLIPS}}},
    ]
}
REVALIDATE = {"Cache-Control": "no-cache"}  # a cache may keep the board but asks each time whether it is current


async def list_projects(request: web.Request) -> web.Response:
    skip = query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000)
    limit = query_int(request, "limit", default=100, minimum=1, maximum=500)
    return respond(request, await use_cases(request).list_projects()(skip=skip, limit=limit))


async def create_project(request: web.Request) -> web.Response:
    command = await read_command(request, CreateProject)
    return respond(request, await use_cases(request).create_project()(command), status=201)


async def get_project(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_project()(request.match_info["project_id"]))


def board_etag(version: int) -> ETag:
    return ETag(value=f"board-{version}")


def is_current(request: web.Request, etag: ETag) -> bool:
    """If-None-Match names `etag` (weak comparison, as RFC 9110 asks for it) or is `*`."""
    return any(tag.value in (etag.value, "*") for tag in request.if_none_match or ())


async def get_project_with_scenes(request: web.Request) -> web.Response:
    """One read of the board's version answers a client whose copy is current (304) and, when this instance
    rendered that version lately, any other client; only a board changed since is read whole."""
    project_id = request.match_info["project_id"]
    version = await use_cases(request).get_board_version()(project_id)
    if is_current(request, board_etag(version)):
        return _tagged(web.Response(status=304), board_etag(version))
    responses = request.app[BOARD_RESPONSES]
    body = responses.body(project_id, version)
    if body is None:
        body = json_body(request, await use_cases(request).get_project_board()(project_id, version=version))
        responses.keep(project_id, version, body)
    return _tagged(web.Response(body=body, content_type="application/json"), board_etag(version))


def _tagged(response: web.Response, etag: ETag) -> web.Response:
    response.etag = etag
    response.headers.update(REVALIDATE)
    return response


async def update_project(request: web.Request) -> web.Response:
    changes = await read_command(request, ProjectChanges)
    command = UpdateProject(project_id=request.match_info["project_id"], changes=changes)
    return respond(request, await use_cases(request).update_project()(command))


async def delete_project(request: web.Request) -> web.Response:
    command = DeleteProject(project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).delete_project()(command))


async def duplicate_project(request: web.Request) -> web.Response:
    command = await read_command(request, DuplicateProject, project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).duplicate_project()(command), status=201)


BASE = "/api/v1/projects"
OPERATIONS = [
    Operation("GET", BASE, list_projects, "List projects, newest first", "projects",
              response=PageOf(Project), query=SKIP_LIMIT, role=Role.VIEWER),
    Operation("POST", BASE, create_project, "Create a project", "projects", status=201,
              body=CreateProject, response=Project, creates="project_id", role=Role.EDITOR),
    Operation("GET", BASE + "/{project_id}", get_project, "Get a project", "projects", response=Project,
              role=Role.VIEWER),
    Operation("GET", BASE + "/{project_id}/with-scenes", get_project_with_scenes,
              "Get a project with its scenes in order, each with its clips", "projects", response=BOARD_SCHEMA,
              etag=True, role=Role.VIEWER),
    Operation("PUT", BASE + "/{project_id}", update_project, "Update a project", "projects",
              body=ProjectChanges, response=Project, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/{project_id}", delete_project,
              "Delete a project with its scenes, clips, characters and templates", "projects",
              response=ProjectDeleted, errors=(409,), role=Role.EDITOR),
    Operation("POST", BASE + "/{project_id}/duplicate", duplicate_project,
              "Duplicate a project with everything in it", "projects", status=201,
              body=DuplicateProject, body_exclude=("project_id",), response=Project, errors=(409,),
              creates="project_id", role=Role.EDITOR),
]
