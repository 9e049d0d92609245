"""Port: the current time, aware UTC."""

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC, at millisecond precision."""
        ...
