"""Serving a stored file: ranges and conditional requests by aiohttp, their failures in the error envelope."""

import os

from aiohttp import web

from application.errors import NotFound
from application.ports.media_store import LocatedFile


def _etag(stat: os.stat_result) -> str:
    """The ETag aiohttp's FileResponse sends for this file."""
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


def _precondition_failed(request: web.Request, stat: os.stat_result) -> bool:
    if request.if_match is not None:
        return not any(tag.value in ("*", _etag(stat)) and not tag.is_weak for tag in request.if_match)
    since = request.if_unmodified_since
    return since is not None and stat.st_mtime > since.timestamp()


def _range_unsatisfiable(request: web.Request, stat: os.stat_result) -> bool:
    if "Range" not in request.headers:
        return False
    if request.if_range is not None and stat.st_mtime > request.if_range.timestamp():
        return False  # the client's copy is stale: the whole file is sent
    try:
        start = request.http_range.start
    except ValueError:
        return True
    return start is not None and start >= stat.st_size


def file_response(request: web.Request, located: LocatedFile) -> web.FileResponse:
    """A FileResponse (ETag, Last-Modified, Range, 304) once 412 and 416 were answered in the envelope."""
    try:
        stat = located.path.stat()
    except FileNotFoundError:  # deleted since it was located
        raise NotFound("Media file", located.path.name) from None
    if _precondition_failed(request, stat):
        raise web.HTTPPreconditionFailed()
    if _range_unsatisfiable(request, stat):
        raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{stat.st_size}"})
    return web.FileResponse(located.path, headers={"Content-Type": located.content_type,
                                                   "Cache-Control": "private, max-age=3600",
                                                   "X-Content-Type-Options": "nosniff"})
