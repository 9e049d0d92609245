"""Hand the jobs' endings to the outbox: one delivery per receiver that wants the event.

The job's own write marks it unannounced (it is final and `announced` is false), so an ending is never lost to a
crash; the ids of its deliveries derive from the ending, so announcing it twice stores each delivery once.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import define

from application.ports.clock import Clock
from application.ports.job_endings import JobEndings
from application.ports.webhook_outbox import WebhookOutbox
from application.ports.webhook_store import WebhookStore
from domain.queue_job import QueueJob
from domain.webhook import BATCH_COMPLETED, Webhook, job_event
from domain.webhook_delivery import WebhookDelivery, message_id


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def job_data(job: QueueJob) -> dict[str, Any]:
    return {"job_id": job.id, "project_id": job.project_id, "clip_id": job.clip_id, "batch_id": job.batch_id,
            "kind": job.kind.value, "model": job.model, "status": job.status.value, "attempt": job.attempt,
            "result_url": job.result_url, "result_content_id": job.result_content_id,
            "error_message": job.error_message, "completed_at": _at(job.completed_at)}


def batch_data(batch_id: str, jobs: Sequence[QueueJob]) -> dict[str, Any]:
    counts = {status: sum(1 for j in jobs if j.status.value == status)
              for status in ("completed", "failed", "cancelled")}
    return {"batch_id": batch_id, "project_id": jobs[0].project_id, "total": len(jobs), **counts,
            "job_ids": sorted(j.id for j in jobs)}


@define
class AnnounceEndings:
    endings: JobEndings
    webhooks: WebhookStore
    outbox: WebhookOutbox
    clock: Clock
    batch_size: int = 100

    async def __call__(self) -> int:
        """Announce up to `batch_size` endings; returns how many."""
        jobs = await self.endings.unannounced(limit=self.batch_size)
        if not jobs:
            return 0
        hooks = await self.webhooks.all()
        for job in jobs:
            await self.outbox.add_all([*self._of_job(job, hooks), *await self._of_batch(job, hooks)])
            await self.endings.mark_announced(job)
        return len(jobs)

    def _of_job(self, job: QueueJob, hooks: list[Webhook]) -> list[WebhookDelivery]:
        event = job_event(job.status.value)
        if event is None:
            return []
        key = f"{job.id}|{event}|{_at(job.completed_at)}"
        return self._deliveries(event, key, job_data(job), hooks, job.webhook_url)

    async def _of_batch(self, job: QueueJob, hooks: list[Webhook]) -> list[WebhookDelivery]:
        """A batch whose last job just ended raises batch.completed (once: its id derives from the last ending)."""
        if job.batch_id is None or not await self.endings.batch_finished(job.batch_id):
            return []  # (reading the whole batch at every ending of a 500-job batch read it 500 times)
        jobs = await self.endings.of_batch(job.batch_id)
        if not jobs or not all(j.status.final for j in jobs):
            return []
        last = max(_at(j.completed_at) or "" for j in jobs)
        url = next((j.webhook_url for j in jobs if j.webhook_url), None)
        return self._deliveries(BATCH_COMPLETED, f"batch|{job.batch_id}|{last}", batch_data(job.batch_id, jobs),
                                hooks, url)

    def _deliveries(self, event: str, key: str, data: dict[str, Any], hooks: list[Webhook],
                    own_url: str | None) -> list[WebhookDelivery]:
        now = self.clock.now()
        payload = {"type": event, "timestamp": now.isoformat(), "data": data}
        receivers: list[tuple[str | None, str]] = [(hook.id, hook.url) for hook in hooks if hook.wants(event)]
        if own_url:
            receivers.append((None, own_url))
        return [WebhookDelivery(id=message_id(key, webhook_id or f"url {url}"), webhook_id=webhook_id, url=url,
                                event=event, payload=payload, created_at=now, next_attempt_at=now)
                for webhook_id, url in receivers]
