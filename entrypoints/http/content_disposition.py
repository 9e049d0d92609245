"""Content-Disposition for downloads (RFC 6266): an ASCII `filename` and the exact `filename*` in UTF-8."""

import re
import unicodedata
from urllib.parse import quote

FALLBACK = "storycanvas-export"
MAX_STEM = 150


def _clean(title: str) -> str:
    """No path separators, control or bidi characters; at most MAX_STEM characters."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(" " if c in "/\\" or unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split()).strip(". ")[:MAX_STEM]


def _ascii(stem: str) -> str:
    decomposed = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Za-z0-9 ._()\-]", "", decomposed).split()).strip(". ")


def attachment(title: str, extension: str) -> str:
    stem = _clean(title) or FALLBACK
    fallback = (_ascii(stem) or FALLBACK) + extension
    exact = stem + extension
    header = f'attachment; filename="{fallback}"'
    return header if exact == fallback else f"{header}; filename*=UTF-8''{quote(exact, safe='')}"
