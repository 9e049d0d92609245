"""Legal frame counts and image sizes of a model family (e.g. LTX-Video 8n+1 frames, sizes in 32s)."""

import math

from attrs import frozen

from domain.errors import InvalidValue


@frozen
class FrameRule:
    """Legal frame counts are step*n + offset, between minimum and maximum."""

    step: int = 1
    offset: int = 0
    minimum: int = 1
    maximum: int = 1000

    def _lowest(self) -> int:
        return math.ceil((self.minimum - self.offset) / self.step) * self.step + self.offset

    def _highest(self) -> int:
        return math.floor((self.maximum - self.offset) / self.step) * self.step + self.offset

    def legal(self, wanted: float) -> int:
        """The legal frame count nearest to `wanted` (ties go up)."""
        count = math.floor((wanted - self.offset) / self.step + 0.5) * self.step + self.offset
        return min(max(count, self._lowest()), self._highest())

    def is_legal(self, frames: int) -> bool:
        return self.minimum <= frames <= self.maximum and (frames - self.offset) % self.step == 0

    def checked(self, field: str, wanted: int) -> int:
        """A requested count: out of range is refused; within it, snapped to the nearest legal count."""
        if not self.minimum <= wanted <= self.maximum:
            raise InvalidValue(field, f"must be between {self.minimum} and {self.maximum} for this model")
        return self.legal(wanted)

    def for_duration(self, seconds: float, fps: float) -> int:
        return self.legal(seconds * fps)


@frozen
class SizeRule:
    """Legal widths/heights are multiples of `multiple` between minimum and maximum."""

    multiple: int = 8
    minimum: int = 64
    maximum: int = 2048

    def legal(self, wanted: int) -> int:
        size = math.floor(wanted / self.multiple + 0.5) * self.multiple
        lowest = math.ceil(self.minimum / self.multiple) * self.multiple
        highest = math.floor(self.maximum / self.multiple) * self.multiple
        return min(max(size, lowest), highest)

    def is_legal(self, size: int) -> bool:
        return self.minimum <= size <= self.maximum and size % self.multiple == 0

    def checked(self, field: str, wanted: int) -> int:
        """A requested size: out of range is refused; within it, rounded to the nearest multiple."""
        if not self.minimum <= wanted <= self.maximum:
            raise InvalidValue(field, f"must be between {self.minimum} and {self.maximum} for this model")
        return self.legal(wanted)
