"""Writing use-case results as JSON."""

from typing import Any

import orjson
from aiohttp import web

from entrypoints.http.typedefs import CONTAINER, JSON_CONVERTER


def respond(request: web.Request, result: Any, *, status: int = 200) -> web.Response:
    body = orjson.dumps(request.app[JSON_CONVERTER].unstructure(result))
    return web.Response(body=body, status=status, content_type="application/json")


def use_cases(request: web.Request) -> Any:
    """The container that builds this request's use-case handlers."""
    return request.app[CONTAINER]
