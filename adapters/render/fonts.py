"""The sheet's and the animatic's font: Noto Sans from the `fontpkg-noto-sans` wheel (Latin, Greek, Cyrillic).

CJK, Arabic, Devanagari and other scripts are not in it: they come out blank. A deployment that needs them would
register a font that covers them (e.g. Noto Sans CJK) under FONT_NAME instead.
"""

import threading
from pathlib import Path

import fontpkg_noto_sans
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_PATH: Path = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"  # its default instance: Regular
FONT_NAME = "NotoSans"
_registered = threading.Lock()


def pdf_font() -> str:
    """The font's name in reportlab, registered on first use."""
    with _registered:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME
