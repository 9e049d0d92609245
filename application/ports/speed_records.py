"""Port: the learned time per job of each server and model, shared by every API instance and kept over restarts."""

from collections.abc import Mapping
from typing import Protocol

from domain.speed_model import Estimate

Estimates = Mapping[tuple[str, str], Estimate]  # (server id, model) -> estimate


class SpeedRecords(Protocol):
    async def load(self) -> dict[tuple[str, str], Estimate]:
        """Every stored estimate."""
        ...

    async def save(self, estimates: Estimates) -> None:
        """Store these estimates, replacing those of the same (server, model); others stay."""
        ...

    async def forget(self, server_id: str) -> int:
        """Drop every estimate of the server (it was unregistered); the number dropped."""
        ...
