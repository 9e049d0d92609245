"""Queue a batch: a list of clips, a scene's clips, or a whole project's."""

from typing import Any, ClassVar

from attrs import define, field, frozen

from application.lookups import require
from application.ports.id_generator import IdGenerator
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.job_composer import JobComposer
from application.queue.owner_cap import OwnerCap
from application.webhooks.job_webhooks import JobWebhookPolicy
from domain.clip import Clip
from domain.errors import InvalidValue
from domain.generated_content import ContentKind
from domain.generation_plan import OVERRIDES, SEED
from domain.queue_job import MAX_RETRIES, QueueJob
from domain.validation import REFERENCE, Count, ExactlyOne, optional, rule_of
from domain.webhook import WEBHOOK_URL

MAX_BATCH = 2000


@frozen
class EnqueueBatch:
    model: str
    clip_ids: tuple[str, ...] | None = field(default=None, validator=optional(Count(1, MAX_BATCH, REFERENCE["limits"])))
    scene_id: str | None = None
    project_id: str | None = None
    kind: ContentKind | None = None
    params: dict[str, Any] = field(factory=dict, converter=OVERRIDES.normalized, validator=OVERRIDES)
    priority: int = field(default=0, validator=rule_of(QueueJob, "priority"))
    seed: int | None = field(default=None, validator=optional(SEED))
    template_id: str | None = None
    include_alternates: bool = False
    max_retries: int = field(default=3, validator=MAX_RETRIES)
    webhook_url: str | None = field(default=None, validator=optional(WEBHOOK_URL),  # each job's and batch.completed
                                    metadata={"example": "http://127.0.0.1:9000/hooks"})
    source: ClassVar[ExactlyOne] = ExactlyOne(("clip_ids", "scene_id", "project_id"))

    def __attrs_post_init__(self) -> None:
        self.source.check(self)


@frozen
class BatchQueued:
    batch_id: str
    job_ids: tuple[str, ...]
    count: int


@define
class EnqueueBatchHandler:
    uow: UnitOfWork
    jobs: JobStore
    composer: JobComposer
    ids: IdGenerator
    signal: QueueSignal
    webhooks: JobWebhookPolicy = JobWebhookPolicy()
    cap: OwnerCap = OwnerCap()

    async def __call__(self, cmd: EnqueueBatch, *, owner: str | None = None) -> BatchQueued:
        self.webhooks.check(cmd.webhook_url)
        batch_id = self.ids.new_id()
        async with self.uow:
            await self.composer.recipe(self.uow, cmd.model)  # an unknown model or template is refused even
            if cmd.template_id is not None:                   # when the batch turns out empty
                await require(self.uow.templates, cmd.template_id, "Template")
            clips = await self._clips(cmd)
            composed = [await self.composer.compose(self.uow, clip, cmd, batch_id=batch_id, owner=owner,
                                                  webhook_url=cmd.webhook_url) for clip in clips]
        await self.cap.check(owner, len(composed))
        await self.jobs.add_all([job for job, _ in composed], [workflow for _, workflow in composed])
        self.signal.work_queued()
        job_ids = tuple(job.id for job, _ in composed)
        return BatchQueued(batch_id=batch_id, job_ids=job_ids, count=len(job_ids))

    async def _clips(self, cmd: EnqueueBatch) -> list[Clip]:
        if cmd.clip_ids is not None:
            return [await require(self.uow.clips, clip_id, "Clip") for clip_id in dict.fromkeys(cmd.clip_ids)]
        if cmd.scene_id is not None:
            await require(self.uow.scenes, cmd.scene_id, "Scene")
            clips = await self.uow.clips.of_scene(cmd.scene_id)
        else:
            await require(self.uow.projects, cmd.project_id or "", "Project")
            clips = await self.uow.clips.of_project(cmd.project_id)
        clips = [clip for clip in clips if cmd.include_alternates or not clip.is_alternate]
        if len(clips) > MAX_BATCH:
            raise InvalidValue("clip_ids", f"a batch holds at most {MAX_BATCH} clips")
        return clips
