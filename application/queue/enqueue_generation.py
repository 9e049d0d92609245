"""Queue the generation of one clip's image or video: compose the workflow now, run it later."""

from typing import Any

from attrs import define, field, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.job_composer import JobComposer
from domain.generated_content import ContentKind
from domain.queue_job import QueueJob


@frozen
class EnqueueGeneration:
    clip_id: str
    model: str
    kind: ContentKind | None = None  # default: the model's kind
    params: dict[str, Any] = field(factory=dict)
    priority: int = 0
    seed: int | None = None
    template_id: str | None = None
    max_retries: int = 3


@define
class EnqueueGenerationHandler:
    uow: UnitOfWork
    jobs: JobStore
    composer: JobComposer
    signal: QueueSignal

    async def __call__(self, cmd: EnqueueGeneration) -> QueueJob:
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            job, workflow = await self.composer.compose(self.uow, clip, cmd, batch_id=None)
        await self.jobs.add_all([job], [workflow])
        self.signal.work_queued()
        return job
