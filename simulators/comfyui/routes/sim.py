"""Simulator-only handlers under /sim/: arm failures at run time and read what the simulator saw."""

from aiohttp import web

from simulators.comfyui.config import FAILURE_MODES
from simulators.comfyui.state import STATE

routes = web.RouteTableDef()


@routes.get("/sim/failures")
async def get_failures(request: web.Request) -> web.Response:
    """GET /sim/failures: how many of each mode are armed."""
    return web.json_response(request.app[STATE].failures.armed)


@routes.post("/sim/failures")
async def post_failures(request: web.Request) -> web.Response:
    """`{"mode": "crash", "count": 1}` arms a failure; count 0 disarms it."""
    body = await request.json()
    mode, count = body.get("mode"), body.get("count", 1)
    if mode not in FAILURE_MODES or not isinstance(count, int) or isinstance(count, bool):
        return web.json_response({"error": f"mode must be one of {list(FAILURE_MODES)}, count an integer"},
                                 status=400)
    failures = request.app[STATE].failures
    failures.arm(mode, count)
    return web.json_response(failures.armed)


@routes.get("/sim/stats")
async def get_stats(request: web.Request) -> web.Response:
    """GET /sim/stats: prompts with monotonic times, executions, slot models."""
    return web.json_response(request.app[STATE].stats.as_json())
