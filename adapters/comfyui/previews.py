"""Sampler previews from ComfyUI's binary WebSocket frames, re-encoded small for browsers.

Frame layout (server.py `encode_bytes`, protocol.BinaryEventTypes), integers 4-byte big-endian:
type 1 PREVIEW_IMAGE: event type, image type (1 JPEG, 2 PNG), image bytes; it names no prompt.
type 4 PREVIEW_IMAGE_WITH_METADATA: event type, metadata length, metadata JSON (node_id, prompt_id,
...), image bytes. Other types (2 unencoded, 3 text) are not previews.
"""

import io
import json
import struct

from attrs import frozen
from PIL import Image, UnidentifiedImageError

PREVIEW_IMAGE = 1
PREVIEW_IMAGE_WITH_METADATA = 4
MAX_SIDE = 512
MAX_FRAME = 32 * 1024 * 1024


@frozen
class PreviewFrame:
    image: bytes
    prompt_id: str | None  # None: the prompt running on that server


def parse_frame(data: bytes) -> PreviewFrame | None:
    """A preview in a binary frame, or None for any other or malformed frame."""
    if len(data) < 8 or len(data) > MAX_FRAME:
        return None
    event, word = struct.unpack(">II", data[:8])
    if event == PREVIEW_IMAGE:
        return PreviewFrame(data[8:], None) if data[8:] else None
    if event != PREVIEW_IMAGE_WITH_METADATA or 8 + word >= len(data):
        return None
    try:
        metadata = json.loads(data[8:8 + word])
    except ValueError:
        return None
    prompt_id = metadata.get("prompt_id") if isinstance(metadata, dict) else None
    return PreviewFrame(data[8 + word:], prompt_id if isinstance(prompt_id, str) else None)


def small_jpeg(image: bytes) -> bytes | None:
    """The image as a JPEG of at most MAX_SIDE px on its long side, or None if it is no image."""
    try:
        with Image.open(io.BytesIO(image)) as picture:
            picture.draft("RGB", (MAX_SIDE, MAX_SIDE))
            picture = picture.convert("RGB")
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
