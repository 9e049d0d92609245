"""A queue signal that counts what the use cases told the scheduler."""

from attrs import define


@define
class RecordingQueueSignal:
    queued: int = 0
    changed: int = 0

    def work_queued(self) -> None:
        self.queued += 1

    def settings_changed(self) -> None:
        self.changed += 1
