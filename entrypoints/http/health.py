"""Health routes: liveness and readiness."""

from aiohttp import web

from application.health.check_readiness import Readiness
from domain.access import Role
from entrypoints.http.errors import envelope
from entrypoints.http.operation import Operation
from entrypoints.http.responses import respond, use_cases
from entrypoints.http.typedefs import JSON_CONVERTER

LIVENESS_SCHEMA = {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readiness(request: web.Request) -> web.Response:
    result = await use_cases(request).check_readiness()()
    if result.ready:
        return respond(request, result)
    failed = ", ".join(check.name for check in result.checks if not check.ok)
    return envelope(503, f"Not ready: {failed}", request.app[JSON_CONVERTER].unstructure(result))


OPERATIONS = [
    Operation("GET", "/api/v1/health", health, "Liveness: the process answers", "health",
              response=LIVENESS_SCHEMA, role=Role.PUBLIC),
    Operation("GET", "/api/v1/health/ready", readiness,
              "Readiness: database and media directory checked, with latencies", "health",
              response=Readiness, errors=(503,), role=Role.VIEWER),
]
