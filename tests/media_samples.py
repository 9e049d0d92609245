"""Small real media made on the spot: audio with the standard library and libsndfile, images with Pillow."""

import io
import struct
import wave
import zlib

import numpy as np
import soundfile
from PIL import Image

SOUNDFILE_FORMATS = {  # name -> (libsndfile format, subtype, sample rate)
    "mp3": ("MP3", "MPEG_LAYER_III", 44100), "flac": ("FLAC", "PCM_16", 44100), "vorbis": ("OGG", "VORBIS", 44100),
    "opus": ("OGG", "OPUS", 48000), "aiff": ("AIFF", "PCM_16", 44100),
}


def wav(seconds: float = 1.0, rate: int = 8000, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(channels)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x01" * int(seconds * rate) * channels)
    return out.getvalue()


def encoded_audio(name: str, seconds: float = 1.0) -> bytes:
    """A sine tone in mp3, flac, vorbis, opus or aiff, encoded by libsndfile."""
    container, subtype, rate = SOUNDFILE_FORMATS[name]
    samples = (0.2 * np.sin(2 * np.pi * 440 * np.arange(int(seconds * rate)) / rate)).astype("float32")
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format=container, subtype=subtype)
    return out.getvalue()


def image(image_format: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, format=image_format)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels in a few dozen bytes: a decompression bomb's header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IEND", b"")


def mp3_frame_header() -> bytes:
    """Four bytes of an MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz): MP3 by its magic, not decodable."""
    return b"\xff\xfb\x90\x64" + b"\x00" * 60


def m4a_header() -> bytes:
    """An ISO media `ftyp` box with the M4A brand, and nothing else."""
    return struct.pack(">I", 24) + b"ftypM4A " + b"\x00\x00\x00\x00" + b"M4A isom" + b"\x00" * 40
