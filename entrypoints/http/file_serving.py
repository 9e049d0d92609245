"""Serving a stored file: conditional requests and one byte range per RFC 9110, failures in the error envelope."""

import math
import os
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from multidict import CIMultiDict

from application.errors import NotFound
from application.ports.media_store import LocatedFile
from entrypoints.http.byte_ranges import ByteRange, RangeNotSatisfiable, range_to_send

RANGE_HEADERS = ("range", "if-range")


def _etag(stat: os.stat_result) -> str:
    """The ETag aiohttp's FileResponse sends for this file."""
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


def _precondition_failed(request: web.Request, stat: os.stat_result) -> bool:
    if request.if_match is not None:
        return not any(tag.value in ("*", _etag(stat)) and not tag.is_weak for tag in request.if_match)
    since = request.if_unmodified_since
    return since is not None and stat.st_mtime > since.timestamp()


def _not_modified(request: web.Request, stat: os.stat_result) -> bool:
    """As FileResponse judges it; a 304 goes before any range (RFC 9110, 13.2.2)."""
    if request.if_none_match is not None:
        return any(tag.value in ("*", _etag(stat)) for tag in request.if_none_match)
    since = request.if_modified_since
    return since is not None and stat.st_mtime <= since.timestamp()


def _if_range_holds(request: web.Request, stat: os.stat_result) -> bool:
    """If-Range (RFC 9110, 13.1.5): the range is sent only to a client whose copy is this very file."""
    validator = request.headers.get("If-Range")
    if validator is None:
        return True
    validator = validator.strip()
    if validator.startswith(('"', 'W/"')):  # an entity tag: only the same strong one
        return validator == f'"{_etag(stat)}"'
    date = request.if_range  # else an HTTP-date: exactly the Last-Modified FileResponse sends
    return date is not None and date.timestamp() == math.ceil(stat.st_mtime)


def _chosen_range(request: web.Request, stat: os.stat_result) -> ByteRange | None:
    if request.method != "GET" or _not_modified(request, stat) or not _if_range_holds(request, stat):
        return None  # ranges are defined for GET only (RFC 9110, 14.2)
    try:
        return range_to_send(request.headers.get("Range"), stat.st_size)
    except RangeNotSatisfiable as exc:
        raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": str(exc)}) from None


def _encodable(text: str) -> bool:
    """False for header bytes that are not UTF-8 (kept as surrogates), which a copied request cannot carry."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


class RangedFileResponse(web.FileResponse):
    """A FileResponse that sends the range chosen here, not its own reading of `Range` and `If-Range`.

    FileResponse reads those headers from the request it is prepared with, so it is given a copy of the
    request carrying the chosen range only.
    """

    def __init__(self, path: Path, *, byte_range: ByteRange | None, headers: dict[str, str]) -> None:
        super().__init__(path, headers=headers)
        self._byte_range = byte_range

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        headers = CIMultiDict((name, value) for name, value in request.headers.items()
                              if name.lower() not in RANGE_HEADERS and _encodable(name + value))
        if self._byte_range is not None:
            headers["Range"] = f"bytes={self._byte_range.first}-{self._byte_range.last}"
        return await super().prepare(request.clone(headers=headers))


def file_response(request: web.Request, located: LocatedFile) -> web.FileResponse:
    """A file with ETag, Last-Modified, 304 and one range (206), once 412 and 416 were answered in the envelope."""
    try:
        stat = located.path.stat()
    except FileNotFoundError:  # deleted since it was located
        raise NotFound("Media file", located.path.name) from None
    if _precondition_failed(request, stat):
        raise web.HTTPPreconditionFailed()
    return RangedFileResponse(located.path, byte_range=_chosen_range(request, stat),
                              headers={"Content-Type": located.content_type, "Cache-Control": "private, max-age=3600",
                                       "X-Content-Type-Options": "nosniff"})
