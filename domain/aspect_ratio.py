"""A project's frame shape, which generated videos follow (the nearest size a model allows)."""

from enum import Enum


class AspectRatio(str, Enum):
    WIDE = "16:9"
    TALL = "9:16"
    SQUARE = "1:1"
    CLASSIC = "4:3"
    PORTRAIT = "3:4"
    CINEMA = "21:9"

    @property
    def ratio(self) -> float:
        width, _, height = self.value.partition(":")
        return int(width) / int(height)
