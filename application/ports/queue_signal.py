"""Port: use cases tell the scheduler that work was queued or freed, or that its switches changed."""

from typing import Protocol


class QueueSignal(Protocol):
    def work_queued(self) -> None:
        """Jobs were queued or retried: schedule soon."""
        ...

    def settings_changed(self) -> None:
        """Pause switches or the server list changed: re-read them before scheduling."""
        ...
