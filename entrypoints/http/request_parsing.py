"""Reading JSON bodies and query parameters into commands, with clear 400s."""

import json
from enum import Enum
from typing import Any, TypeVar

from aiohttp import web

from domain.validation import NO_NUL
from entrypoints.http.errors import BadRequest
from entrypoints.http.slow_clients import within_body_timeout
from entrypoints.http.typedefs import JSON_CONVERTER

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


async def read_json_object(request: web.Request) -> dict[str, Any]:
    raw = await within_body_timeout(request, request.read())  # small (MAX_JSON_BODY_KB): all of it in time
    if not raw:  # no body: the empty object (a body of spaces is no JSON, and is refused below)
        return {}
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise BadRequest("The request body is not valid JSON", {"body": "not valid JSON"}) from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object", {"body": "expected a JSON object"})
    return body


async def read_command(request: web.Request, command: type[T], **path_values: str) -> T:
    """Structure the body, plus values from the path (which the body may not carry), into `command`."""
    body = await read_json_object(request)
    clashes = sorted(set(body) & set(path_values))
    if clashes:
        raise BadRequest("The request body has unknown fields", {name: "extra field" for name in clashes})
    return request.app[JSON_CONVERTER].structure({**body, **path_values}, command)


def query_int(request: web.Request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"Query parameter '{name}' must be an integer", {name: "expected an integer"}) from None
    if not minimum <= value <= maximum:
        raise BadRequest(f"Query parameter '{name}' is out of range", {name: f"must be {minimum}..{maximum}"})
    return value


def query_enum(request: web.Request, name: str, kind: type[E], default: E) -> E:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(item.value for item in kind)
        raise BadRequest(f"Query parameter '{name}' must be one of {allowed}", {name: f"one of {allowed}"}) from None


TEXT_QUERY = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NO_NUL}  # what query_text takes


def query_text(request: web.Request, name: str) -> str | None:
    value = request.query.get(name)
    if value is not None and (not value or len(value) > 200 or "\x00" in value):
        raise BadRequest(f"Query parameter '{name}' is invalid", {name: "1..200 characters"})
    return value
