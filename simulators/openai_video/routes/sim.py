"""Simulator-only handlers under /sim/ (no key needed): arm failures, change settings, read what it saw."""

from typing import Any

from aiohttp import web
from attrs import asdict

from simulators.openai_video.config import FAILURE_MODES
from simulators.openai_video.state import STATE

routes = web.RouteTableDef()
SETTING_TYPES: dict[str, tuple[type, ...]] = {"latency": (int, float), "retry_after": (int,),
                                               "failure_code": (str,), "failure_message": (str,)}


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@routes.get("/sim/failures")
async def get_failures(request: web.Request) -> web.Response:
    """How many of each mode are armed."""
    return web.json_response(request.app[STATE].failures.armed)


@routes.post("/sim/failures")
async def post_failures(request: web.Request) -> web.Response:
    """`{"mode": "rate_limit", "count": 2}` arms a failure for the next 2 requests (count 0 disarms it)."""
    body = await _json_object(request) or {}
    mode, count = body.get("mode"), body.get("count", 1)
    if mode not in FAILURE_MODES or not isinstance(count, int) or isinstance(count, bool):
        return _bad_request(f"mode must be one of {list(FAILURE_MODES)}, count an integer")
    failures = request.app[STATE].failures
    failures.arm(mode, count)
    return web.json_response(failures.armed)


@routes.get("/sim/settings")
async def get_settings(request: web.Request) -> web.Response:
    return web.json_response(asdict(request.app[STATE].settings))


@routes.post("/sim/settings")
async def post_settings(request: web.Request) -> web.Response:
    """`{"latency": 2.5, "retry_after": 3, "failure_code": "...", "failure_message": "..."}`, any subset."""
    body = await _json_object(request)
    if body is None or any(not _valid_setting(name, value) for name, value in body.items()):
        return _bad_request(f"expected an object with some of {list(SETTING_TYPES)}: latency >= 0, "
                            "retry_after an integer >= 0, the failure fields strings")
    settings = request.app[STATE].settings
    for name, value in body.items():
        setattr(settings, name, value)
    return web.json_response(asdict(settings))


def _valid_setting(name: str, value: object) -> bool:
    types = SETTING_TYPES.get(name)
    if types is None or isinstance(value, bool) or not isinstance(value, types):
        return False
    return not isinstance(value, (int, float)) or value >= 0


@routes.get("/sim/stats")
async def get_stats(request: web.Request) -> web.Response:
    """Requests with their route and status, videos created and deleted, peak unfinished videos."""
    return web.json_response(request.app[STATE].stats.as_json())
