"""Injected failures: how many of each mode are still armed."""

from collections.abc import Mapping

from simulators.openai_video.config import FAILURE_MODES


class FailureInjector:
    """Counts of armed failures; `take` uses one up."""

    def __init__(self, armed: Mapping[str, int]):
        self.armed = {mode: int(armed.get(mode, 0)) for mode in FAILURE_MODES}

    def arm(self, mode: str, count: int) -> None:
        """Set how many times a mode fires (0 disarms it)."""
        if mode not in self.armed:
            raise ValueError(f"unknown failure mode {mode!r}; known: {', '.join(FAILURE_MODES)}")
        self.armed[mode] = max(0, count)

    def take(self, mode: str) -> bool:
        """Use up one armed failure of this mode, if any."""
        if self.armed[mode] <= 0:
            return False
        self.armed[mode] -= 1
        return True
