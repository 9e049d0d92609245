"""A clock tests can set and advance."""

from datetime import UTC, datetime, timedelta

from attrs import define, field


@define
class FakeClock:
    current: datetime = field(factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    step: timedelta = timedelta(milliseconds=1)

    def now(self) -> datetime:
        """Each reading is one step later, so timestamps stay distinct and ordered."""
        self.current += self.step
        return self.current
