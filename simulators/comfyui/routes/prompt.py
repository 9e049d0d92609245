"""POST /prompt and GET /prompt: number, check the id, validate, queue, as server.py does in either version."""

import time
import uuid
from typing import Any

from aiohttp import web

from simulators.comfyui.execution.failures import INJECTED_MESSAGE
from simulators.comfyui.execution.jobs import validate_job_id
from simulators.comfyui.execution.prompt_queue import SENSITIVE_EXTRA_DATA_KEYS
from simulators.comfyui.execution.validation import validate_prompt
from simulators.comfyui.state import STATE, SimulatorState

routes = web.RouteTableDef()
_BAD_ID_DETAILS = ("prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the "
                   "server generate one")


def _error_body(kind: str, message: str, details: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "details": details, "extra_info": {}}, "node_errors": {}}


def _next_number(state: SimulatorState, body: dict[str, Any]) -> float:
    if "number" in body:
        return float(body["number"])
    number = -state.number if "front" in body and body["front"] else state.number
    state.number += 1
    return number


def _prompt_id(state: SimulatorState, body: dict[str, Any]) -> str | None:
    """The id to queue under: 0.3.64 takes any value as a string; today's takes only a canonical UUID
    (None = refused), and mints one when the id is absent or null."""
    if state.config.legacy:
        return str(body.get("prompt_id", uuid.uuid4()))
    if body.get("prompt_id") is None:
        return str(uuid.uuid4())
    try:
        return validate_job_id(body["prompt_id"])
    except ValueError:
        return None


def _extra_data(state: SimulatorState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    extra_data = body.get("extra_data", {})
    if "client_id" in body:
        extra_data["client_id"] = body["client_id"]
    usage_source = request.headers.get("Comfy-Usage-Source")
    if not state.config.legacy and usage_source and "comfy_usage_source" not in extra_data:
        extra_data["comfy_usage_source"] = usage_source
    return extra_data


def _stamped(extra_data: dict[str, Any]) -> dict[str, Any]:
    """Today's server keeps credentials out of the queue item and stamps the creation time (ms)."""
    for key in SENSITIVE_EXTRA_DATA_KEYS:
        extra_data.pop(key, None)
    extra_data["create_time"] = int(time.time() * 1000)
    return extra_data


def _dropped(request: web.Request) -> web.Response:
    """The `drop_response` failure: close the connection, so the client never reads an answer."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=200)


@routes.post("/prompt")
async def post_prompt(request: web.Request) -> web.Response:
    """POST /prompt: number, check the id, validate, queue (today's: 409 for an id already held)."""
    state = request.app[STATE]
    state.stats.requests += 1
    if state.failures.take("refuse"):
        return web.json_response(_error_body("simulated_refusal", INJECTED_MESSAGE, "refuse"), status=503)
    body = await request.json()
    number = _next_number(state, body)
    if "prompt" not in body:
        return web.json_response(_error_body("no_prompt", "No prompt provided", "No prompt provided"), status=400)
    prompt, prompt_id = body["prompt"], _prompt_id(state, body)
    if prompt_id is None:
        message = "prompt_id must be a valid UUID"
        return web.json_response(_error_body("invalid_prompt_id", message, _BAD_ID_DETAILS), status=400)
    result = validate_prompt(state.catalog, state.validators, prompt, body.get("partial_execution_targets"),
                             current=not state.config.legacy)
    extra_data = _extra_data(state, request, body)
    if not result.valid:
        return web.json_response({"error": result.error, "node_errors": result.node_errors}, status=400)
    if not state.config.legacy:
        extra_data = _stamped(extra_data)
    if not state.queue.put((number, prompt_id, prompt, extra_data, result.outputs)):
        return web.json_response({"error": "prompt_id already exists"}, status=409)
    state.stats.received(prompt_id, number)
    if state.failures.take("drop_response"):
        return _dropped(request)
    return web.json_response({"prompt_id": prompt_id, "number": number, "node_errors": result.node_errors})


@routes.get("/prompt")
async def get_prompt(request: web.Request) -> web.Response:
    """GET /prompt: the remaining count."""
    return web.json_response(request.app[STATE].queue.queue_info())
