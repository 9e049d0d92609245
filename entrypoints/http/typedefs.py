"""Typed application keys."""

from typing import TYPE_CHECKING

from aiohttp import web
from cattrs.preconf.json import JsonConverter

if TYPE_CHECKING:
    from entrypoints.container import Container
    from entrypoints.http.board_responses import BoardResponses
    from entrypoints.http.queue_relay import QueueRelay

CONTAINER: web.AppKey["Container"] = web.AppKey("container")
JSON_CONVERTER = web.AppKey("json_converter", JsonConverter)
OPENAPI: web.AppKey[dict] = web.AppKey("openapi", dict)
QUEUE_RELAY: web.AppKey["QueueRelay"] = web.AppKey("queue_relay")
BOARD_RESPONSES: web.AppKey["BoardResponses"] = web.AppKey("board_responses")
