"""One middleware turns every error into the standard envelope, from a single table."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from cattrs import BaseValidationError, transform_error
from cattrs.v import format_exception

from application.errors import (
    Conflict, NotConfigured, NotFound, PayloadTooLarge, UnsupportedMedia, UpstreamUnavailable,
)
from application.ports.generation_backend import WorkflowRejected
from application.queue.owner_cap import TooManyWaiting  # issue 14
from domain.errors import InvalidValue, RuleViolation

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadRequest(Exception):
    """The request cannot be read (bad JSON, bad query parameter)."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class BodyTimedOut(Exception):
    """The client stopped sending the request body; it is answered 408 and its connection closed."""


HTTP_CODES: dict[int, str] = {
    400: "VALIDATION_ERROR", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "RESOURCE_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 408: "REQUEST_TIMEOUT", 409: "CONFLICT", 411: "LENGTH_REQUIRED",
    412: "PRECONDITION_FAILED", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE",
    416: "RANGE_NOT_SATISFIABLE", 429: "RATE_LIMITED",
    500: "INTERNAL_ERROR", 502: "BAD_GATEWAY", 503: "SERVICE_UNAVAILABLE", 504: "GATEWAY_TIMEOUT",
}
FALLBACK_CODES = ("BAD_REQUEST", "ERROR")
# Exception type -> HTTP status; the first matching entry wins.
STATUS_OF: tuple[tuple[type[BaseException], int], ...] = (
    (BadRequest, 400), (BaseValidationError, 400), (InvalidValue, 400),
    (NotFound, 404), (Conflict, 409), (RuleViolation, 409), (WorkflowRejected, 400), (NotConfigured, 503),
    (UpstreamUnavailable, 502),
    (PayloadTooLarge, 413), (UnsupportedMedia, 415), (BodyTimedOut, 408),
    (TooManyWaiting, 429),  # issue 14: the per-owner cap
)


def envelope(status: int, message: str, details: dict[str, Any] | None = None) -> web.Response:
    code = HTTP_CODES.get(status, FALLBACK_CODES[1] if status >= 500 else FALLBACK_CODES[0])
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return web.json_response(body, status=status)


FIELD_MARK = " @field "  # a command's own validator names its field below the path cattrs knows


def _describe(exc: BaseException, kind: Any) -> str:
    """Our own hooks and validators explain themselves; cattrs' own errors keep its wording."""
    if isinstance(exc, InvalidValue):
        return f"{exc.message}{FIELD_MARK}{exc.field}"
    if type(exc) in (ValueError, TypeError) and str(exc):
        return str(exc)
    return format_exception(exc, kind)


def _field_errors(exc: BaseValidationError) -> dict[str, str]:
    fields = {}
    for line in transform_error(exc, path="$", format_exception=_describe):
        message, _, path = line.rpartition(" @ ")
        message, _, field = message.partition(FIELD_MARK)
        path = ".".join(part for part in (path.removeprefix("$").lstrip("."), field) if part)
        fields[path or "body"] = message
    return fields


def _details(exc: BaseException) -> tuple[str, dict[str, Any]]:
    if isinstance(exc, BaseValidationError):
        return "The request body is invalid", {"fields": _field_errors(exc)}
    if isinstance(exc, InvalidValue):
        return str(exc), {"fields": {exc.field: exc.message}}
    if isinstance(exc, BadRequest):
        return str(exc), {"fields": exc.fields} if exc.fields else {}
    if isinstance(exc, WorkflowRejected):
        return str(exc), {"node_errors": exc.node_errors}
    return str(exc), {}


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    response = envelope(exc.status, exc.reason)
    for header in ("Allow", "Retry-After", "Content-Range"):
        if header in exc.headers:
            response.headers[header] = exc.headers[header]
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(exc)
    except Exception as exc:
        status = next((code for kind, code in STATUS_OF if isinstance(exc, kind)), 500)
        if status == 500:
            log.exception("unhandled error on %s %s", request.method, request.path)
            return envelope(500, "Internal server error")
        message, details = _details(exc)
        response = envelope(status, message, details)
        if status == 408:  # the rest of a stalled body may never come: don't wait for it on this connection
            response.force_close()
        return response
