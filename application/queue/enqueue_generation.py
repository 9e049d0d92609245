"""Queue the generation of one clip's image or video: compose the workflow now, run it later."""

from typing import Any

from attrs import define, field, frozen

from application.lookups import require
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.job_store import JobStore
from application.ports.model_preset_catalog import ModelPresetCatalog
from application.ports.seed_source import SeedSource
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
    presets: ModelPresetCatalog
    clock: Clock
    ids: IdGenerator
    seeds: SeedSource

    async def __call__(self, cmd: EnqueueGeneration) -> QueueJob:
        composer = JobComposer(self.uow, self.presets, self.clock, self.ids, self.seeds)
        async with self.uow:
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            job, workflow = await composer.compose(clip, cmd, batch_id=None)
        await self.jobs.add_all([job], [workflow])
        return job
