"""Queue handlers: /prompt, /queue, /interrupt and /history, answering like server.py does."""

import json
import uuid
from typing import Any

from aiohttp import web

from adapters.comfyui.simulator.failures import INJECTED_MESSAGE
from adapters.comfyui.simulator.state import STATE, SimulatorState
from adapters.comfyui.simulator.validation import validate_prompt

routes = web.RouteTableDef()


def _error_body(kind: str, message: str, details: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "details": details, "extra_info": {}}, "node_errors": {}}


def _next_number(state: SimulatorState, body: dict[str, Any]) -> float:
    if "number" in body:
        return float(body["number"])
    number = -state.number if "front" in body and body["front"] else state.number
    state.number += 1
    return number


@routes.post("/prompt")
async def post_prompt(request: web.Request) -> web.Response:
    """POST /prompt: number, validate, queue."""
    state = request.app[STATE]
    state.stats.requests += 1
    if state.failures.take("refuse"):
        return web.json_response(_error_body("simulated_refusal", INJECTED_MESSAGE, "refuse"), status=503)
    body = await request.json()
    number = _next_number(state, body)
    if "prompt" not in body:
        return web.json_response(_error_body("no_prompt", "No prompt provided", "No prompt provided"), status=400)
    prompt, prompt_id = body["prompt"], str(body.get("prompt_id", uuid.uuid4()))
    result = validate_prompt(state.catalog, state.validators, prompt, body.get("partial_execution_targets"))
    extra_data = body.get("extra_data", {})
    if "client_id" in body:
        extra_data["client_id"] = body["client_id"]
    if not result.valid:
        return web.json_response({"error": result.error, "node_errors": result.node_errors}, status=400)
    state.stats.received(prompt_id, number)
    state.queue.put((number, prompt_id, prompt, extra_data, result.outputs))
    return web.json_response({"prompt_id": prompt_id, "number": number, "node_errors": result.node_errors})


@routes.get("/prompt")
async def get_prompt(request: web.Request) -> web.Response:
    """GET /prompt: the remaining count."""
    return web.json_response(request.app[STATE].queue.queue_info())


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
    prompt_id = body.get("prompt_id")
    for slot in state.slots:
        if not prompt_id or slot.prompt_id == prompt_id:
            slot.interrupted = True
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
