"""What wraps every /v1 request: request ids and stats, OpenAI-shaped errors, bearer auth, injected 429/500."""

import hmac
import logging
import math
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from simulators.openai_video.api_errors import OpenAIError, invalid_url
from simulators.openai_video.state import STATE

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NO_KEY = ("You didn't provide an API key. You need to provide your API key in an Authorization header using "
          "Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from "
          "https://platform.openai.com/account/api-keys.")
SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"
_log = logging.getLogger(__name__)


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/v1/") or request.path == "/v1"


def _route(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return f"{request.method} {resource.canonical if resource is not None else request.path}"


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost: an `x-request-id` on every /v1 answer, and the answer counted in /sim/stats."""
    response = await handler(request)
    if _is_api(request):
        response.headers["x-request-id"] = f"req_{secrets.token_hex(16)}"
        request.app[STATE].stats.request(request.method, _route(request), request.path, response.status)
    return response


@web.middleware
async def translate_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error in OpenAI's shape: raised OpenAIErrors, aiohttp's own 404/405/413, and crashes as 500."""
    try:
        return await handler(request)
    except OpenAIError as error:
        return error.response()
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        return invalid_url(request.method, request.path).response()
    except web.HTTPRequestEntityTooLarge as error:
        return OpenAIError(413, f"Request too large: {error.text}", code="request_too_large").response()
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return OpenAIError(error.status, error.reason).response()
    except Exception:
        _log.exception("%s %s failed", request.method, request.path)
        return OpenAIError(500, SERVER_ERROR, type="server_error").response()


def _masked(key: str) -> str:
    """How the real API echoes a wrong key: its first three and last four characters (short keys not at all)."""
    return key[:3] + "*" * (len(key) - 7) + key[-4:] if len(key) > 12 else "*" * len(key)


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """`Authorization: Bearer <key>` when the simulator has a key; without one, anything goes."""
    expected = request.app[STATE].config.api_key
    if expected is None or not _is_api(request):
        return await handler(request)
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise OpenAIError(401, NO_KEY)
    if not hmac.compare_digest(key.strip().encode(), expected.encode()):
        raise OpenAIError(401, f"Incorrect API key provided: {_masked(key.strip())}. You can find your API key "
                               "at https://platform.openai.com/account/api-keys.", code="invalid_api_key")
    return await handler(request)


@web.middleware
async def inject_failures(request: web.Request, handler: Handler) -> web.StreamResponse:
    """An armed `rate_limit` answers 429 with Retry-After, an armed `server_error` 500, before the handler runs."""
    state = request.app[STATE]
    if not _is_api(request):
        return await handler(request)
    if state.failures.take("rate_limit"):
        raise _rate_limited(state.settings.retry_after)
    if state.failures.take("server_error"):
        raise OpenAIError(500, SERVER_ERROR, type="server_error")
    return await handler(request)


def _rate_limited(retry_after: int) -> OpenAIError:
    seconds = max(0, math.ceil(retry_after))
    message = (f"Rate limit reached for videos in organization org-simulator on requests per minute (RPM): "
               f"Limit 1, Used 1, Requested 1. Please try again in {seconds}s. "
               "Visit https://platform.openai.com/account/rate-limits to learn more.")
    headers = {"Retry-After": str(seconds), "x-ratelimit-limit-requests": "1",
               "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": f"{seconds}s"}
    return OpenAIError(429, message, type="requests", code="rate_limit_exceeded", headers=headers)
