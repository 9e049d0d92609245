"""Reading a multipart upload: the `file` part is streamed in chunks, never held whole in memory."""

from collections.abc import AsyncIterator

from aiohttp import BodyPartReader, web

from application.errors import UnsupportedMedia
from entrypoints.http.errors import BadRequest

CHUNK = 256 * 1024
FILE_FIELD = "file"
MULTIPART = "multipart/form-data"


async def file_part(request: web.Request) -> tuple[str | None, AsyncIterator[bytes]]:
    """The uploaded file's name and its bytes as they arrive; other form fields are skipped."""
    if request.content_type != MULTIPART:
        raise UnsupportedMedia(f"Send the file as {MULTIPART} with a part named '{FILE_FIELD}'")
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if isinstance(part, BodyPartReader) and part.name == FILE_FIELD:
                return part.filename, _chunks(part)
            await part.release()
    except (ValueError, LookupError, AssertionError):
        raise _malformed() from None
    raise BadRequest(f"The form has no '{FILE_FIELD}' part", {FILE_FIELD: "missing"})


async def _chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while True:
        try:
            chunk = await part.read_chunk(CHUNK)
        except (ValueError, LookupError, AssertionError):
            raise _malformed() from None
        if not chunk:
            return
        yield chunk


def _malformed() -> BadRequest:
    return BadRequest("The multipart body is malformed", {"body": "not valid multipart/form-data"})
