"""The API: POST /v1/videos, GET /v1/videos, GET and DELETE /v1/videos/{id}, its /content, and /remix."""

import time

from aiohttp import web

from simulators.openai_video.api_errors import OpenAIError, invalid_value
from simulators.openai_video.media.rendering import VARIANTS
from simulators.openai_video.state import STATE
from simulators.openai_video.videos.create_params import remix_spec, video_spec
from simulators.openai_video.videos.list_query import ListQuery
from simulators.openai_video.videos.request_body import read_body
from simulators.openai_video.videos.video import Video

routes = web.RouteTableDef()
NOT_READY = "Video is not ready yet, use GET /v1/videos/{video_id} to check status."


@routes.post("/v1/videos")
async def create_video(request: web.Request) -> web.Response:
    """A queued `Video`; its job starts at once."""
    state = request.app[STATE]
    spec = video_spec(await read_body(request), state.config)
    return web.json_response(state.registry.create(spec).as_json())


@routes.get("/v1/videos")
async def list_videos(request: web.Request) -> web.Response:
    """`{"object": "list", "data", "first_id", "last_id", "has_more"}`, newest first unless `order=asc`."""
    query = ListQuery.from_query(request.query)
    videos, has_more = request.app[STATE].registry.page(after=query.after, limit=query.limit, order=query.order)
    data = [video.as_json() for video in videos]
    return web.json_response({"object": "list", "data": data, "first_id": data[0]["id"] if data else None,
                              "last_id": data[-1]["id"] if data else None, "has_more": has_more})


@routes.get("/v1/videos/{video_id}")
async def retrieve_video(request: web.Request) -> web.Response:
    return web.json_response(request.app[STATE].registry.get(request.match_info["video_id"]).as_json())


@routes.delete("/v1/videos/{video_id}")
async def delete_video(request: web.Request) -> web.Response:
    """Deletes the video and its files; one still queued or rendering is cancelled."""
    video = request.app[STATE].registry.delete(request.match_info["video_id"])
    return web.json_response({"id": video.id, "object": "video.deleted", "deleted": True})


@routes.get("/v1/videos/{video_id}/content")
async def video_content(request: web.Request) -> web.FileResponse:
    """The MP4 (`variant=video`, the default), the WEBP `thumbnail` or the JPEG `spritesheet`."""
    variant = request.query.get("variant", "video")
    if variant not in VARIANTS:
        raise invalid_value("variant", variant, tuple(VARIANTS))
    registry = request.app[STATE].registry
    video = registry.get(request.match_info["video_id"])
    _check_downloadable(video)
    name, content_type = VARIANTS[variant]
    return web.FileResponse(registry.directory(video.id) / name, headers={"Content-Type": content_type})


def _check_downloadable(video: Video) -> None:
    if video.status == "failed":
        raise OpenAIError(404, f"Video '{video.id}' failed and has no content.", param="video_id")
    if video.status != "completed":
        raise OpenAIError(404, NOT_READY, param="video_id")
    if video.expired(time.time()):
        raise OpenAIError(404, f"The content of video '{video.id}' has expired.", param="video_id")


@routes.post("/v1/videos/{video_id}/remix")
async def remix_video(request: web.Request) -> web.Response:
    """A new queued video from a completed one: same model, seconds, size; a new prompt."""
    registry = request.app[STATE].registry
    source = registry.get(request.match_info["video_id"])
    return web.json_response(registry.create(remix_spec(await read_body(request), source)).as_json())
