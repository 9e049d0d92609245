"""Port: reading what an audio or image file holds (duration, format, dimensions), verifying it on the way."""

from typing import BinaryIO, Protocol

from attrs import frozen


@frozen
class AudioInfo:
    format: str
    duration_s: float
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None


@frozen
class ImageInfo:
    format: str
    width: int
    height: int


class MediaProbe(Protocol):
    async def audio(self, source: BinaryIO, content_type: str) -> AudioInfo:
        """Raises UnsupportedMedia when the bytes do not decode as `content_type`."""
        ...

    async def image(self, source: BinaryIO, content_type: str, *, max_pixels: int) -> ImageInfo:
        """Raises UnsupportedMedia for a broken image, PayloadTooLarge past `max_pixels` (decompression bombs)."""
        ...
