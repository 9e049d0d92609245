"""Queue handlers: /queue, /interrupt and /history, answering like server.py does."""

import json

from aiohttp import web

from simulators.comfyui.state import STATE

routes = web.RouteTableDef()


@routes.get("/queue")
async def get_queue(request: web.Request) -> web.Response:
    """GET /queue: running and pending 5-lists."""
    running, pending = request.app[STATE].queue.current()
    return web.json_response({"queue_running": running, "queue_pending": pending})


@routes.post("/queue")
async def post_queue(request: web.Request) -> web.Response:
    """POST /queue: `clear` and/or `delete` pending prompts."""
    queue, body = request.app[STATE].queue, await request.json()
    if body.get("clear"):
        queue.wipe_queue()
    for prompt_id in body.get("delete", []):
        queue.delete_queue_item(lambda item, wanted=prompt_id: item[1] == wanted)
    return web.Response(status=200)


@routes.post("/interrupt")
async def post_interrupt(request: web.Request) -> web.Response:
    """POST /interrupt: every running prompt, or only the given prompt_id if it runs."""
    state = request.app[STATE]
    try:
        body = await request.json()
    except json.JSONDecodeError:
        body = {}
    state.interrupt(body.get("prompt_id") or None)
    return web.Response(status=200)


@routes.get("/history")
async def get_history(request: web.Request) -> web.Response:
    """GET /history: all entries, or a max_items/offset window."""
    query = request.rel_url.query
    max_items = int(query["max_items"]) if "max_items" in query else None
    offset = int(query["offset"]) if "offset" in query else -1
    return web.json_response(request.app[STATE].queue.get_history(max_items=max_items, offset=offset))


@routes.get("/history/{prompt_id}")
async def get_history_entry(request: web.Request) -> web.Response:
    """GET /history/{prompt_id}: one entry, or {}."""
    return web.json_response(request.app[STATE].queue.get_history(prompt_id=request.match_info["prompt_id"]))


@routes.post("/history")
async def post_history(request: web.Request) -> web.Response:
    """POST /history: `clear` and/or `delete` entries."""
    queue, body = request.app[STATE].queue, await request.json()
    if body.get("clear"):
        queue.wipe_history()
    for prompt_id in body.get("delete", []):
        queue.delete_history_item(prompt_id)
    return web.Response(status=200)
