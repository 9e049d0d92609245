"""Schemathesis hooks: an upload's `file` part as a real file of a type its operation names (an image, a song,
synced lyrics).

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

LINE = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs"), include_characters=",.!?'-"),
               min_size=1, max_size=40).map(str.strip)
CUES = st.lists(st.tuples(st.integers(1, 400), LINE.filter(bool)), min_size=1, max_size=8, unique_by=lambda c: c[0])


def _lrc(cues: list[tuple[int, str]]) -> bytes:
    """Lines at whole tenths of a second: `[mm:ss.xx]text`."""
    return "".join(f"[{t // 600:02d}:{t % 600 / 10:05.2f}]{text}\n" for t, text in sorted(cues)).encode()


def _srt(cues: list[tuple[int, str]]) -> bytes:
    def stamp(tenths: int) -> str:
        return f"00:{tenths // 600:02d}:{tenths % 600 // 10:02d},{tenths % 10 * 100:03d}"

    ordered = sorted(cues)
    ends = [t for t, _ in ordered[1:]] + [ordered[-1][0] + 5]
    return "".join(f"{n}\n{stamp(t)} --> {stamp(end)}\n{text}\n\n"
                   for n, ((t, text), end) in enumerate(zip(ordered, ends, strict=True), 1)).encode()


schemathesis.openapi.media_type("text/plain", CUES.map(_lrc))
schemathesis.openapi.media_type("application/x-subrip", CUES.map(_srt))
