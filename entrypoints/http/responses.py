"""Writing use-case results as JSON."""

from typing import Any

import orjson
from aiohttp import web

from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER


def respond(request: web.Request, result: Any, *, status: int = 200) -> web.Response:
    return web.Response(body=json_body(request, result), status=status, content_type="application/json")


def json_body(request: web.Request, result: Any) -> bytes:
    return orjson.dumps(request.app[JSON_CONVERTER].unstructure(result))


def use_cases(request: web.Request) -> Any:
    """The container that builds this request's use-case handlers."""
    return request.app[CONTAINER]
