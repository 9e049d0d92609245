"""Reading a multipart upload: one `file` part, streamed in chunks; a malformed form is a 400, never a 500."""

import warnings
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.multipart import BadContentDispositionHeader, BadContentDispositionParam
from attrs import define

from application.errors import UnsupportedMedia
from entrypoints.http.errors import BadRequest
from entrypoints.http.slow_clients import within_body_timeout

T = TypeVar("T")
CHUNK = 256 * 1024
FILE_FIELD = "file"
MULTIPART = "multipart/form-data"
MAX_PARTS = 32
# What aiohttp's multipart reader raises on a body that is not a well-formed form: a missing or overlong boundary,
# a part header without a colon or with a control character, too long or too many part headers, a body that
# ends before its closing boundary, a bad `_charset_` part.
MALFORMED = (ValueError, LookupError, AssertionError, RuntimeError, HttpProcessingError)
BAD_DISPOSITION = (BadContentDispositionHeader, BadContentDispositionParam)
Part = BodyPartReader | MultipartReader


@define
class _Form:
    """The parts of one multipart body, each wait for bytes bounded by BODY_TIMEOUT_S."""

    request: web.Request
    reader: MultipartReader
    parts: int = 0

    async def read(self, step: Awaitable[T]) -> T:
        try:
            return await within_body_timeout(self.request, step)
        except (*MALFORMED, *BAD_DISPOSITION):  # the reader warns about the first part's disposition too
            raise malformed() from None

    async def next_part(self) -> Part | None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise BadRequest(f"The form has more than {MAX_PARTS} parts", {"body": f"at most {MAX_PARTS} parts"})
        return await self.read(self.reader.next())


async def file_part(request: web.Request) -> tuple[str | None, AsyncIterator[bytes]]:
    """The uploaded file's name and its bytes as they arrive; other form fields are skipped."""
    if request.content_type != MULTIPART:
        raise UnsupportedMedia(f"Send the file as {MULTIPART} with a part named '{FILE_FIELD}'")
    try:
        form = _Form(request, await request.multipart())
    except MALFORMED:
        raise malformed() from None
    while (part := await form.next_part()) is not None:
        name, filename = _disposition(part)
        if isinstance(part, BodyPartReader) and name == FILE_FIELD:
            return filename, _chunks(form, part)
        await form.read(part.release())
    raise BadRequest(f"The form has no '{FILE_FIELD}' part", {FILE_FIELD: "missing"})


async def _chunks(form: _Form, part: BodyPartReader) -> AsyncIterator[bytes]:
    """The file's bytes, then the rest of the form up to its closing boundary (which must hold no other file)."""
    while not part.at_eof():
        if chunk := await form.read(part.read_chunk(CHUNK)):
            yield chunk
    while (other := await form.next_part()) is not None:
        if _disposition(other)[0] == FILE_FIELD:
            raise BadRequest(f"The form has more than one '{FILE_FIELD}' part", {FILE_FIELD: "only one file part"})
        await form.read(other.release())


def _disposition(part: Part) -> tuple[str | None, str | None]:
    """A part's field name and file name; a nested multipart has neither."""
    if not isinstance(part, BodyPartReader):
        return None, None
    # aiohttp only warns about a malformed Content-Disposition (and drops it); here it is a 400.
    with warnings.catch_warnings():
        for category in BAD_DISPOSITION:
            warnings.simplefilter("error", category)
        try:
            return part.name, part.filename
        except BAD_DISPOSITION:
            raise BadRequest("A part's Content-Disposition header is malformed",
                             {"body": "not valid multipart/form-data"}) from None


def malformed() -> BadRequest:
    return BadRequest("The multipart body is malformed", {"body": "not valid multipart/form-data"})
