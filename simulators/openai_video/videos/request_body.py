"""The body of POST /v1/videos and /remix: multipart (what the SDK sends), urlencoded, or JSON (curl, SGLang's docs)."""

import json
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from simulators.openai_video.api_errors import OpenAIError

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
INVALID_JSON = ("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
                "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")


async def read_body(request: web.Request) -> dict[str, Any]:
    """The request's parameters; a form's `input_reference[image_url]` becomes `{"input_reference": {...}}`."""
    if request.content_type == "application/json":
        return await _json_body(request)
    if request.content_type in FORM_TYPES:
        try:
            return _nest_brackets(await request.post())
        except ValueError as error:
            raise OpenAIError(400, f"Could not parse the multipart form body: {error}") from None
    raise OpenAIError(400, f"Invalid Content-Type header ({request.content_type}), expected multipart/form-data "
                           "or application/json.")


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        raise OpenAIError(400, INVALID_JSON) from None
    if not isinstance(body, dict):
        raise OpenAIError(400, "Invalid body: expected a JSON object.")
    return body


def _nest_brackets(form: MultiDictProxy) -> dict[str, Any]:
    """The SDK sends an object parameter as `name[key]` fields (its `array_format="brackets"`)."""
    body: dict[str, Any] = {}
    for key in form.keys():
        value = form.getone(key)
        name, bracket, rest = key.partition("[")
        if bracket and rest.endswith("]") and name:
            nested = body.setdefault(name, {})
            if isinstance(nested, dict):
                nested[rest[:-1]] = value
        else:
            body.setdefault(key, value)
    return body
