"""JSON log lines carry the request id; the access log never writes a `?token=`."""

import io
import json
import logging

from aiohttp.test_utils import make_mocked_request
from aiohttp import web

from adapters.observability.log_context import REQUEST_ID
from entrypoints.logging_setup import RedactingAccessLogger, configure_logging, redacted_path
from entrypoints.settings import Settings


def test_json_lines_carry_the_request_id(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(Settings(log_format="json"))
        token = REQUEST_ID.set("req-9")
        logging.getLogger("storycanvas.test").info("hello %s", "world")
        REQUEST_ID.reset(token)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["message"] == "hello world" and line["request_id"] == "req-9" and line["level"] == "INFO"
    assert line["logger"] == "storycanvas.test" and line["job_id"] is None


def test_the_access_log_redacts_the_websocket_token():
    request = make_mocked_request("GET", "/api/v1/ws?token=s3cret&x=1")
    assert redacted_path(request) == "/api/v1/ws?token=%5Bredacted%5D&x=1"
    records: list[logging.LogRecord] = []
    logger = logging.getLogger("storycanvas.access.test")
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        RedactingAccessLogger(logger, "").log(request, web.Response(status=101, headers={"X-Request-ID": "r1"}), 0.01)
    finally:
        logger.removeHandler(handler)
    assert "s3cret" not in records[0].getMessage() and records[0].request_id == "r1"
    assert "s3cret" not in str(records[0].__dict__)
