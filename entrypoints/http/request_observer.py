"""The outermost middleware: a request id for every request (echoed as X-Request-ID, carried by its log lines),
and the request's count and duration by route template and status."""

import re
import time
import uuid

from aiohttp import web

from adapters.observability.log_context import REQUEST_ID
from adapters.observability.service_metrics import ServiceMetrics
from entrypoints.http.auth.middleware import route_template
from entrypoints.http.errors import Handler
from entrypoints.http.operation import Operation

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")  # anything else is replaced, never logged as given


def _request_id(request: web.Request) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex


def request_observer(metrics: ServiceMetrics, operations: list[Operation]):  # type: ignore[no-untyped-def]
    uploads = {(o.method, o.path) for o in operations if o.upload}
    exports = {(o.method, o.path) for o in operations if o.tag == "export"}

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = _request_id(request)
        token = REQUEST_ID.set(request_id)
        started, status = time.perf_counter(), 500
        try:
            response = await handler(request)
            status = response.status
            if not response.prepared:
                response.headers[REQUEST_ID_HEADER] = request_id
            return response
        except web.HTTPException as exc:
            status = exc.status
            exc.headers[REQUEST_ID_HEADER] = request_id
            raise
        finally:
            REQUEST_ID.reset(token)
            _record(metrics, request, status, time.perf_counter() - started, uploads, exports)

    return observe


def _record(metrics: ServiceMetrics, request: web.Request, status: int, seconds: float,
            uploads: set[tuple[str, str]], exports: set[tuple[str, str]]) -> None:
    route = route_template(request) or "unmatched"  # unmatched paths share one label: bounded cardinality
    method = request.method if request.method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") \
        else "OTHER"
    metrics.requests.labels(method, route, str(status)).inc()
    metrics.request_seconds.labels(method, route, str(status)).observe(seconds)
    key = ("GET" if method == "HEAD" else method, route)
    if key in uploads:
        metrics.upload_seconds.labels(route).observe(seconds)
    elif key in exports:
        metrics.export_seconds.labels(route).observe(seconds)
