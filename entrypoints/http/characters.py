"""Character routes."""

from aiohttp import web

from application.characters.create_character import CreateCharacter
from application.characters.delete_character import CharacterDeleted, DeleteCharacter
from application.characters.update_character import CharacterChanges, UpdateCharacter
from domain.access import Role
from domain.character import Character
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf, QueryParam
from entrypoints.http.request_parsing import TEXT_QUERY, query_int, query_text, read_command
from entrypoints.http.responses import respond, use_cases

PROJECT_FILTER = QueryParam("project_id", TEXT_QUERY,
                            "Only those of this project")


async def list_characters(request: web.Request) -> web.Response:
    skip = query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000)
    limit = query_int(request, "limit", default=100, minimum=1, maximum=500)
    project_id = query_text(request, "project_id")
    return respond(request, await use_cases(request).list_characters()(project_id=project_id, skip=skip, limit=limit))


async def list_project_characters(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_project_characters()(request.match_info["project_id"]))


async def create_character(request: web.Request) -> web.Response:
    command = await read_command(request, CreateCharacter)
    return respond(request, await use_cases(request).create_character()(command), status=201)


async def get_character(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_character()(request.match_info["character_id"]))


async def update_character(request: web.Request) -> web.Response:
    changes = await read_command(request, CharacterChanges)
    command = UpdateCharacter(character_id=request.match_info["character_id"], changes=changes)
    return respond(request, await use_cases(request).update_character()(command))


async def delete_character(request: web.Request) -> web.Response:
    command = DeleteCharacter(character_id=request.match_info["character_id"])
    return respond(request, await use_cases(request).delete_character()(command))


BASE = "/api/v1/characters"
OPERATIONS = [
    Operation("GET", BASE, list_characters, "List characters (all, or one project's)", "characters",
              response=PageOf(Character), query=(*SKIP_LIMIT, PROJECT_FILTER), role=Role.VIEWER),
    Operation("GET", BASE + "/project/{project_id}", list_project_characters, "List a project's characters",
              "characters", response=list[Character], role=Role.VIEWER),
    Operation("POST", BASE, create_character, "Create a character (global, or in a project)", "characters",
              status=201, body=CreateCharacter, response=Character, creates="character_id", role=Role.EDITOR),
    Operation("GET", BASE + "/{character_id}", get_character, "Get a character", "characters", response=Character,
              role=Role.VIEWER),
    Operation("PUT", BASE + "/{character_id}", update_character, "Update a character", "characters",
              body=CharacterChanges, response=Character, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/{character_id}", delete_character,
              "Delete a character; clips using it keep their prompts", "characters", response=CharacterDeleted,
              errors=(409,), role=Role.EDITOR),
]
