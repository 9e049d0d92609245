"""Schemathesis hooks: an upload's `file` part as a real file of a type its operation names.

The upload operations list their file types (`encoding.file.contentType`); what makes bytes a WAV or a PNG is
beyond any JSON Schema, so schemathesis fills such a part from the strategy registered here for its media type.
tests/e2e/test_schemathesis.py loads this file through SCHEMATHESIS_HOOKS.
"""

import schemathesis
from hypothesis import strategies as st

from tests.media_samples import image, wav

IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
SIZES = st.tuples(st.integers(1, 64), st.integers(1, 64))

schemathesis.openapi.media_type("audio/wav", st.builds(
    wav, seconds=st.floats(0.05, 0.5), rate=st.sampled_from([8000, 22050]), channels=st.sampled_from([1, 2])))
for media_type, image_format in IMAGE_FORMATS.items():
    schemathesis.openapi.media_type(media_type, st.builds(image, st.just(image_format), SIZES))
