"""Reading audio with mutagen and images with Pillow: format, duration, dimensions, and a bound on pixels."""

import asyncio
import math
import warnings
from collections.abc import Callable
from typing import BinaryIO

from attrs import frozen
from mutagen import FileType, MutagenError
from mutagen.aac import AAC
from mutagen.aiff import AIFF
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import Image

from application.errors import PayloadTooLarge, UnsupportedMedia
from application.ports.media_probe import AudioInfo, ImageInfo

AUDIO_READERS: dict[str, tuple[str, Callable[[BinaryIO], FileType]]] = {
    "audio/mpeg": ("mp3", MP3), "audio/aac": ("aac", AAC), "audio/wav": ("wav", WAVE), "audio/flac": ("flac", FLAC),
    "audio/ogg; codecs=vorbis": ("vorbis", OggVorbis), "audio/ogg; codecs=opus": ("opus", OggOpus),
    "audio/ogg; codecs=flac": ("ogg-flac", OggFLAC), "audio/mp4": ("m4a", MP4), "audio/aiff": ("aiff", AIFF),
}
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, ArithmeticError)


def _positive(value: object) -> int | None:
    return int(value) if isinstance(value, (int, float)) and value > 0 else None


def read_audio(source: BinaryIO, content_type: str) -> AudioInfo:
    name, reader = AUDIO_READERS.get(content_type, ("", None))
    if reader is None:
        raise UnsupportedMedia(f"{content_type} is not a supported audio type")
    try:
        info = reader(source).info
    except (MutagenError, *UNREADABLE):
        raise UnsupportedMedia(f"The file looks like {name} audio but cannot be decoded") from None
    length = getattr(info, "length", 0.0)
    if not isinstance(length, (int, float)) or not math.isfinite(length) or length <= 0:
        raise UnsupportedMedia("The audio file holds no playable audio")
    return AudioInfo(format=name, duration_s=float(length), bitrate=_positive(getattr(info, "bitrate", None)),
                     sample_rate=_positive(getattr(info, "sample_rate", None)),
                     channels=_positive(getattr(info, "channels", None)))


def read_image(source: BinaryIO, content_type: str, max_pixels: int) -> ImageInfo:
    image_format = IMAGE_FORMATS.get(content_type)
    if image_format is None:
        raise UnsupportedMedia(f"{content_type} is not a supported image type")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            width, height = _verified_size(source, image_format, max_pixels)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PayloadTooLarge(f"The image has more than {max_pixels} pixels") from None
        except UNREADABLE:
            raise UnsupportedMedia(f"The file looks like a {image_format} image but cannot be decoded") from None
    return ImageInfo(format=image_format.lower(), width=width, height=height)


def _verified_size(source: BinaryIO, image_format: str, max_pixels: int) -> tuple[int, int]:
    """Dimensions from the header, checked before anything is decoded; then a structural check and a full decode."""
    with Image.open(source, formats=[image_format]) as image:
        width, height = image.size
        if width * height > max_pixels:
            raise PayloadTooLarge(f"The image is {width}x{height} pixels; at most {max_pixels} are accepted")
        image.verify()
    source.seek(0)
    with Image.open(source, formats=[image_format]) as image:
        image.load()
    return width, height


@frozen
class MutagenPillowProbe:
    async def audio(self, source: BinaryIO, content_type: str) -> AudioInfo:
        return await asyncio.to_thread(read_audio, source, content_type)

    async def image(self, source: BinaryIO, content_type: str, *, max_pixels: int) -> ImageInfo:
        return await asyncio.to_thread(read_image, source, content_type, max_pixels)
