"""`input_reference`: an uploaded image (or a data URL) that becomes the video's first frame; its size must be
the video's, as the real API demanded ("Inpaint image must match the requested width and height")."""

import base64
import binascii
import io
from typing import Any

from aiohttp.web_request import FileField
from PIL import Image

from simulators.openai_video.api_errors import OpenAIError, invalid_type, missing_parameter, unknown_parameter

PARAM = "input_reference"
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MISMATCH = "Inpaint image must match the requested width and height"


def reference_image(value: Any, dimensions: tuple[int, int]) -> Image.Image | None:
    """The decoded RGB image, or None when no reference was sent."""
    if value is None:
        return None
    if isinstance(value, FileField):
        data = value.file.read()
    elif isinstance(value, dict):
        data = _from_reference_object(value)
    else:
        raise invalid_type(PARAM, "a file", value)
    return _decode(data, dimensions)


def _from_reference_object(reference: dict[str, Any]) -> bytes:
    """`{"image_url": "data:image/png;base64,..."}`; the simulator fetches no URL and has no Files API."""
    for key in reference:
        if key not in ("image_url", "file_id"):
            raise unknown_parameter(f"{PARAM}.{key}")
    if "file_id" in reference:
        raise OpenAIError(400, "The simulator has no Files API: send input_reference as a file or a data URL.",
                          param=f"{PARAM}.file_id", code="invalid_value")
    url = reference.get("image_url")
    if url is None:
        raise missing_parameter(f"{PARAM}.image_url")
    if not isinstance(url, str):
        raise invalid_type(f"{PARAM}.image_url", "a string", url)
    header, comma, payload = url.partition(",")
    if not (url.startswith("data:") and header.endswith(";base64") and comma):
        raise OpenAIError(400, "The simulator fetches no URLs: send a base64 data URL or upload the file.",
                          param=f"{PARAM}.image_url", code="invalid_value")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise OpenAIError(400, "Invalid base64 image data in input_reference.image_url.",
                          param=f"{PARAM}.image_url", code="invalid_value") from None


def _decode(data: bytes, dimensions: tuple[int, int]) -> Image.Image:
    unsupported = OpenAIError(400, "Invalid file format for 'input_reference'. Supported formats are: "
                                   "'image/jpeg', 'image/png', and 'image/webp'.", param=PARAM, code="invalid_value")
    try:
        image = Image.open(io.BytesIO(data))
    except (OSError, ValueError, Image.DecompressionBombError):
        raise unsupported from None
    if image.format not in FORMATS:
        raise unsupported
    if image.size != dimensions:
        raise OpenAIError(400, MISMATCH)
    try:
        return image.convert("RGB")
    except (OSError, ValueError):
        raise unsupported from None
