"""Use cases wired to the in-memory fakes, for unit and property tests."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from attrs import NOTHING, define, field

from adapters.comfyui.presets.catalog import BuiltinPresets
from adapters.fakes.clock import FakeClock
from adapters.fakes.generation_backend import FakeGenerationBackend
from adapters.fakes.id_generator import SequentialIds, SequentialSeeds
from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.media_probe import HeaderOnlyProbe
from adapters.fakes.media_store import InMemoryMediaStore
from adapters.fakes.preview_store import InMemoryPreviewStore
from adapters.fakes.queue_control import InMemoryDispatchLease, InMemoryQueueSettings
from adapters.fakes.queue_signal import RecordingQueueSignal
from adapters.fakes.server_observations import InMemoryServerObservations
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.timeline_exporter import PlainTextExporter
from adapters.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from application.comfyui.server_checks import ServerChecker
from application.queue.cancel_jobs import CancelJobs
from application.queue.job_composer import JobComposer

T = TypeVar("T")


@define
class FakeWorld:
    store: InMemoryStore = field(factory=InMemoryStore)
    clock: FakeClock = field(factory=FakeClock)
    ids: SequentialIds = field(factory=SequentialIds)
    backend: FakeGenerationBackend = field(factory=FakeGenerationBackend)
    jobs: InMemoryJobStore = field(factory=InMemoryJobStore)
    queue_settings: InMemoryQueueSettings = field(factory=InMemoryQueueSettings)
    lease: InMemoryDispatchLease = field(factory=InMemoryDispatchLease)
    seeds: SequentialSeeds = field(factory=SequentialSeeds)
    media: InMemoryMediaStore = field(factory=InMemoryMediaStore)
    exporter: PlainTextExporter = field(factory=PlainTextExporter)
    previews: InMemoryPreviewStore = field(factory=InMemoryPreviewStore)
    signal: RecordingQueueSignal = field(factory=RecordingQueueSignal)
    upload_mb: int = 1
    max_pixels: int = 4_000_000

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def observations(self) -> InMemoryServerObservations:
        return InMemoryServerObservations(self.store.server_observations, self.store.tables["comfyui_servers"])

    def board_reader(self) -> InMemoryProjectBoardReader:
        return InMemoryProjectBoardReader(self.store)

    def handler(self, cls: type[T]) -> T:
        """Build a handler, giving it the fakes its fields ask for."""
        available = {"uow": self.uow(), "clock": self.clock, "ids": self.ids, "reader": self.board_reader(),
                     "backend": self.backend, "presets": BuiltinPresets(), "jobs": self.jobs,
                     "settings": self.queue_settings, "seeds": self.seeds,
                     "owner": "test-instance", "media": self.media, "probe": HeaderOnlyProbe(),
                     "exporter": self.exporter, "max_mb": self.upload_mb, "max_pixels": self.max_pixels,
                     "previews": self.previews, "signal": self.signal,
                     "composer": JobComposer(BuiltinPresets(), self.clock, self.ids, self.seeds),
                     "observations": self.observations(),
                     "checker": ServerChecker(self.backend, self.clock, self.observations())}
        names = [a.name for a in cls.__attrs_attrs__ if a.init and a.default is NOTHING]  # type: ignore[attr-defined]
        if "cancel_jobs" in names:  # a collaborator built from the same fakes
            available["cancel_jobs"] = self.handler(CancelJobs)
        return cls(**{name: available[name] for name in names})

    def rows(self, table: str) -> list[Any]:
        return list(self.store.tables[table].values())


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)
