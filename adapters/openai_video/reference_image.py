"""`input_reference`: the clip's image as the provider wants it, exactly the video's size (scaled to cover it and
centre-cropped), as a PNG; the image travels inside the request, so "uploading" it makes a data URL."""

import base64
import binascii
import io

from PIL import Image, ImageOps

from application.ports.generation_backend import WorkflowRejected

DATA_URL_PREFIX = "data:application/octet-stream;base64,"


def as_data_url(data: bytes) -> str:
    return DATA_URL_PREFIX + base64.b64encode(data).decode("ascii")


def fitted_png(data_url: str, size: str) -> bytes:
    """The image of `data_url` covering WIDTHxHEIGHT, centre-cropped, as a PNG."""
    width, _, height = size.partition("x")
    try:
        data = base64.b64decode(data_url.partition(",")[2], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            fitted = ImageOps.fit(image.convert("RGB"), (int(width), int(height)), Image.Resampling.LANCZOS)
    except (binascii.Error, ValueError, OSError, Image.DecompressionBombError):
        raise WorkflowRejected("the clip's start image cannot be read as an image", permanent=True) from None
    buffer = io.BytesIO()
    fitted.save(buffer, format="PNG")
    return buffer.getvalue()
