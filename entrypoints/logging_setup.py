"""Logging for `serve`: one JSON object a line (python-json-logger) carrying the request id and job id, and
an access log that never writes a query string's `token`."""

import logging
import sys
from urllib.parse import parse_qsl, urlencode

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse
from pythonjsonlogger.json import JsonFormatter

from adapters.observability.log_context import LogContextFilter
from entrypoints.settings import Settings

JSON_FIELDS = "{asctime}{levelname}{name}{message}{request_id}{job_id}"
SECRET_QUERY = frozenset({"token", "access_token"})


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(LogContextFilter())
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, style="{", rename_fields={"asctime": "time",
                                                                                  "levelname": "level",
                                                                                  "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO, handlers=[handler], force=True)


def redacted_path(request: BaseRequest) -> str:
    if not request.query_string:
        return request.path
    pairs = [(k, "[redacted]" if k.lower() in SECRET_QUERY else v) for k, v in parse_qsl(request.query_string,
                                                                                          keep_blank_values=True)]
    return f"{request.path}?{urlencode(pairs)}"


class RedactingAccessLogger(AbstractAccessLogger):
    """One record per request: method, path (tokens redacted), status, duration, request id, client."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s", request.method, redacted_path(request), response.status, extra={
            "http_method": request.method, "path": redacted_path(request), "status": response.status,
            "duration_ms": round(time * 1000, 2), "remote": request.remote,
            "request_id": response.headers.get("X-Request-ID"),
        })
