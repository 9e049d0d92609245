"""Queue the generation of one clip's image or video: compose the workflow now, run it later."""

from typing import Any

from attrs import define, field, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.job_composer import JobComposer
from application.queue.owner_cap import OwnerCap
from application.queue.supersede import SupersedeEarlier
from application.webhooks.job_webhooks import JobWebhookPolicy
from domain.generated_content import ContentKind
from domain.generation_plan import OVERRIDES, SEED
from domain.queue_job import MAX_RETRIES, QueueJob
from domain.validation import optional, rule_of
from domain.webhook import WEBHOOK_URL


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
    webhook_url: str | None = field(default=None, validator=optional(WEBHOOK_URL),  # told when the job ends
                                    metadata={"example": "http://127.0.0.1:9000/hooks"})
    supersede: bool = False  # cancel this clip's earlier waiting jobs of the same kind


@define
class EnqueueGenerationHandler:
    uow: UnitOfWork
    jobs: JobStore
    composer: JobComposer
    signal: QueueSignal
    supersede: SupersedeEarlier | None = None
    webhooks: JobWebhookPolicy = JobWebhookPolicy()
    cap: OwnerCap = OwnerCap()

    async def __call__(self, cmd: EnqueueGeneration, *, owner: str | None = None) -> QueueJob:
        """`owner`: the subject of the caller's credential, when authentication is on."""
        self.webhooks.check(cmd.webhook_url)
        async with self.uow.reading():
            clip = await require(self.uow.clips, cmd.clip_id, "Clip")
            job, workflow = await self.composer.compose(self.uow, clip, cmd, batch_id=None, owner=owner,
                                                        webhook_url=cmd.webhook_url)
        await self.cap.check(owner, 1)
        await self.jobs.add_all([job], [workflow])
        if cmd.supersede and self.supersede is not None:
            await self.supersede(job)
        self.signal.work_queued()
        return job
