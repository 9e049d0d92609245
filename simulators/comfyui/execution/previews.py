"""Sampler live previews: the binary WebSocket payloads of server.send_image and send_image_with_metadata."""

import json
import struct
from collections.abc import Mapping
from typing import Any

from simulators.comfyui.config import PREVIEW_METHODS, SimulatorConfig

PREVIEW_IMAGE = 1  # protocol.BinaryEventTypes
PREVIEW_IMAGE_WITH_METADATA = 4
_JPEG = 1  # send_image's image type numbers: 1 JPEG, 2 PNG


def preview_image(jpeg: bytes) -> bytes:
    """A PREVIEW_IMAGE payload: the 4-byte image type, then the JPEG."""
    return struct.pack(">I", _JPEG) + jpeg


def preview_with_metadata(jpeg: bytes, metadata: Mapping[str, Any]) -> bytes:
    """A PREVIEW_IMAGE_WITH_METADATA payload: the 4-byte metadata length, the metadata JSON, then the JPEG."""
    text = json.dumps({**metadata, "image_type": "image/jpeg"}).encode("utf-8")
    return struct.pack(">I", len(text)) + text + jpeg


def previews_wanted(config: SimulatorConfig, extra_data: Mapping[str, Any]) -> bool:
    """The server's preview method, which today's servers let `extra_data.preview_method` override."""
    method = config.preview_method
    override = extra_data.get("preview_method")
    if not config.legacy and override in PREVIEW_METHODS:
        method = override
    return method != "none"
