"""Learned job times in memory (one dict shared by the instances of a test)."""

from attrs import define, field

from application.ports.speed_records import Estimates
from domain.speed_model import Estimate


@define
class InMemorySpeedRecords:
    rows: dict[tuple[str, str], Estimate] = field(factory=dict)

    async def load(self) -> dict[tuple[str, str], Estimate]:
        return dict(self.rows)

    async def save(self, estimates: Estimates) -> None:
        self.rows.update(estimates)

    async def forget(self, server_id: str) -> int:
        gone = [key for key in self.rows if key[0] == server_id]
        for key in gone:
            del self.rows[key]
        return len(gone)
