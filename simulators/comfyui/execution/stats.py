"""What the simulator saw, for tests and benchmarks: prompts with monotonic times, executions, loaded models."""

import time
from typing import Any

from attrs import asdict, define, field


@define
class PromptRecord:
    """One POST /prompt that was queued, with `time.monotonic()` stamps."""

    prompt_id: str
    number: float
    received: float
    started: float | None = None
    finished: float | None = None
    slot: int | None = None
    status: str | None = None


@define
class SimulatorStats:
    """Prompts received, prompts executed, and the model each worker slot holds."""

    capacity: int
    prompts: dict[str, PromptRecord] = field(factory=dict)
    requests: int = 0
    executed: int = 0
    model_switches: int = 0
    slot_models: dict[int, str | None] = field(factory=dict)

    def received(self, prompt_id: str, number: float) -> None:
        """Record a queued prompt."""
        self.prompts[prompt_id] = PromptRecord(prompt_id, number, time.monotonic())

    def started(self, prompt_id: str, slot: int) -> None:
        """Record a worker slot taking a prompt."""
        record = self.prompts.get(prompt_id)
        if record is not None:
            record.started, record.slot = time.monotonic(), slot

    def finished(self, prompt_id: str, status: str) -> None:
        """Record a prompt's end."""
        self.executed += 1
        record = self.prompts.get(prompt_id)
        if record is not None:
            record.finished, record.status = time.monotonic(), status

    def as_json(self) -> dict[str, Any]:
        """The body of GET /sim/stats."""
        return {
            "capacity": self.capacity, "requests": self.requests, "executed": self.executed,
            "model_switches": self.model_switches,
            "slots": [{"slot": slot, "model": model} for slot, model in sorted(self.slot_models.items())],
            "prompts": [asdict(record) for record in self.prompts.values()],
            "now": time.monotonic(),
        }

