"""The system clock, aware UTC, cut to milliseconds (what BSON dates keep)."""

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        current = datetime.now(UTC)
        return current.replace(microsecond=current.microsecond // 1000 * 1000)
