"""A probe that reads WAV headers with the standard library and PNG sizes from the IHDR chunk."""

import struct
import wave
from typing import BinaryIO

from attrs import frozen

from application.errors import PayloadTooLarge, UnsupportedMedia
from application.ports.media_probe import AudioInfo, ImageInfo


@frozen
class HeaderOnlyProbe:
    async def audio(self, source: BinaryIO, content_type: str) -> AudioInfo:
        if content_type != "audio/wav":
            raise UnsupportedMedia(f"the fake probe reads WAV only, not {content_type}")
        try:
            with wave.open(source) as audio:
                frames, rate, channels = audio.getnframes(), audio.getframerate(), audio.getnchannels()
        except (wave.Error, EOFError):
            raise UnsupportedMedia("not a readable WAV file") from None
        if frames == 0:
            raise UnsupportedMedia("The audio file holds no playable audio")
        return AudioInfo(format="wav", duration_s=frames / rate, sample_rate=rate, channels=channels)

    async def image(self, source: BinaryIO, content_type: str, *, max_pixels: int) -> ImageInfo:
        header = source.read(24)
        if content_type != "image/png" or len(header) < 24 or header[12:16] != b"IHDR":
            raise UnsupportedMedia("the fake probe reads PNG headers only")
        width, height = struct.unpack(">II", header[16:24])
        if width * height > max_pixels:
            raise PayloadTooLarge(f"The image has more than {max_pixels} pixels")
        return ImageInfo(format="png", width=width, height=height)
