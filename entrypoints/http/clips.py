"""Clip routes."""

from aiohttp import web

from application.alternates_policy import AlternatesOnDelete
from application.clips.create_clip import CreateClip
from application.clips.create_clip_alternate import CreateClipAlternate
from application.clips.delete_clip import ClipsDeleted, DeleteClip
from application.clips.delete_take import DeleteTake
from application.clips.move_clip import MoveClip
from application.clips.select_take import SelectTake
from application.clips.update_clip import ClipChanges, UpdateClip
from domain.access import Role
from domain.clip import Clip
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import query_enum, read_command
from entrypoints.http.responses import respond, use_cases
from entrypoints.http.scenes import ALTERNATES


async def create_clip(request: web.Request) -> web.Response:
    command = await read_command(request, CreateClip)
    return respond(request, await use_cases(request).create_clip()(command), status=201)


async def list_scene_clips(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_scene_clips()(request.match_info["scene_id"]))


async def get_clip(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_clip()(request.match_info["clip_id"]))


async def update_clip(request: web.Request) -> web.Response:
    changes = await read_command(request, ClipChanges)
    command = UpdateClip(clip_id=request.match_info["clip_id"], changes=changes)
    return respond(request, await use_cases(request).update_clip()(command))


async def delete_clip(request: web.Request) -> web.Response:
    policy = query_enum(request, "alternates", AlternatesOnDelete, AlternatesOnDelete.DELETE)
    command = DeleteClip(clip_id=request.match_info["clip_id"], alternates=policy)
    return respond(request, await use_cases(request).delete_clip()(command))


async def create_clip_alternate(request: web.Request) -> web.Response:
    command = await read_command(request, CreateClipAlternate, clip_id=request.match_info["clip_id"])
    return respond(request, await use_cases(request).create_clip_alternate()(command), status=201)


async def move_clip(request: web.Request) -> web.Response:
    command = await read_command(request, MoveClip, clip_id=request.match_info["clip_id"])
    return respond(request, await use_cases(request).move_clip()(command))


async def select_take(request: web.Request) -> web.Response:
    command = SelectTake(clip_id=request.match_info["clip_id"], content_id=request.match_info["content_id"])
    return respond(request, await use_cases(request).select_take()(command))


async def delete_take(request: web.Request) -> web.Response:
    command = DeleteTake(clip_id=request.match_info["clip_id"], content_id=request.match_info["content_id"])
    return respond(request, await use_cases(request).delete_take()(command))


BASE = "/api/v1/clips"
TAKE_ID = {"content_id": {"type": "string", "minLength": 1}}  # a gallery entry's id, as the clip lists it
OPERATIONS = [
    Operation("POST", BASE, create_clip, "Place a clip on a scene's timeline (after the last clip by default)",
              "clips", status=201, body=CreateClip, response=Clip, errors=(409,), creates="clip_id", role=Role.EDITOR),
    Operation("GET", BASE + "/scene/{scene_id}", list_scene_clips, "List a scene's clips by timeline position",
              "clips", response=list[Clip], role=Role.VIEWER),
    Operation("GET", BASE + "/{clip_id}", get_clip, "Get a clip", "clips", response=Clip, role=Role.VIEWER),
    Operation("PUT", BASE + "/{clip_id}", update_clip, "Update a clip's text, length or character", "clips",
              body=ClipChanges, response=Clip, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/{clip_id}", delete_clip, "Delete a clip", "clips",
              query=(ALTERNATES,), response=ClipsDeleted, errors=(409,), role=Role.EDITOR),
    Operation("POST", BASE + "/{clip_id}/alternates", create_clip_alternate, "Create an alternate take of a clip",
              "clips", status=201, body=CreateClipAlternate, body_exclude=("clip_id",), response=Clip,
              errors=(409,), creates="clip_id", role=Role.EDITOR),
    Operation("POST", BASE + "/{clip_id}/move", move_clip, "Move a clip on the timeline (or to another scene)",
              "clips", body=MoveClip, body_exclude=("clip_id",), response=Clip, errors=(409,), role=Role.EDITOR),
    Operation("POST", BASE + "/{clip_id}/gallery/{content_id}/select", select_take,
              "Select a generated image or video of the clip's gallery", "clips", response=Clip, errors=(409,),
              path_schemas=TAKE_ID, role=Role.EDITOR),
    Operation("DELETE", BASE + "/{clip_id}/gallery/{content_id}", delete_take,
              "Delete a generated image or video (entry and file); if it was selected, the newest remaining take "
              "of its kind is selected", "clips", response=Clip, errors=(409,), path_schemas=TAKE_ID, role=Role.EDITOR),
]
