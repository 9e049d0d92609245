"""Queue the generation of one clip's image or video: compose the workflow now, run it later."""

from typing import Any

from attrs import define, field, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.job_composer import JobComposer
from domain.generated_content import ContentKind
from domain.generation_plan import OVERRIDES, SEED
from domain.queue_job import MAX_RETRIES, QueueJob
from domain.validation import optional, rule_of


@frozen
class EnqueueGeneration:
    clip_id: str
    model: str
    kind: ContentKind | None = None  # default: the model's kind
    params: dict[str, Any] = field(factory=dict, converter=OVERRIDES.normalized, validator=OVERRIDES)
    priority: int = field(default=0, validator=rule_of(QueueJob, "priority"))
    seed: int | None = field(default=None, validator=optional(SEED))  # none: a fresh random seed
    template_id: str | None = None
    max_retries: int = field(default=3, validator=MAX_RETRIES)


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
